import type { Options } from './options';
import { render, type Templates } from './render';
import { withSecrets } from './secrets';
import { loadTemplates } from './templates';
import { writeProject } from './write';

/** generate = write(secrets(render(options, templates))): the whole scaffold, minus the optional steps. */
export function generate(options: Options, targetDir: string, templates: Templates = loadTemplates()): string[] {
  return writeProject(targetDir, withSecrets(render(options, templates)));
}
