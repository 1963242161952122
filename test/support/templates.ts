import path from 'node:path';
import { loadTemplates } from '../../src/templates';

/** The real templates of this repository. */
export const templates = loadTemplates(path.join(__dirname, '..', '..', 'templates'));
