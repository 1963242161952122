/**
 * BENCHMARKS.md's container section, written from the figures test/e2e/containers.test.ts recorded in
 * .tmp/containers/figures.json (the bench itself builds no image: the test does, once per project).
 */
import fs from 'node:fs';

const LABELS = {
  default: 'default (SQLite, db store)',
  'pg-redis': 'PostgreSQL + Redis',
  'compose (nginx TLS, 2 replicas, PostgreSQL, Redis)':
    '`compose up`: nginx TLS, 2 replicas, PostgreSQL, Redis (figures from `up`, through nginx)',
};
const s = (ms) => (ms === undefined ? '–' : `${(ms / 1000).toFixed(1)} s`);

/** The section as Markdown; says how to get figures when the test has not run on this machine. */
export function containerSection(file) {
  const head = '\n## Containers (recorded by test/e2e/containers.test.ts, not measured by `npm run bench`)\n\n';
  if (!fs.existsSync(file))
    return `${head}No figures: run \`.ci/containers\`, then \`npx jest --selectProjects e2e test/e2e/containers.test.ts\`.\n`;
  const { at, figures } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const rows = Object.entries(figures).map(
    ([label, f]) =>
      `| ${LABELS[label] ?? label} | ${f.imageMb === undefined ? '–' : `${f.imageMb} MB`} | ${s(f.buildMs)} | ${s(f.floorMs)} | ${s(f.readyMs)} | ${s(f.loginMs)} | ${s(f.sigtermMs)} |`,
  );
  const base = Object.values(figures).find((f) => f.baseMb)?.baseMb;
  return `${head}The run of ${at}, podman with runc on the stand-in \`node:22-bookworm-slim\` that \`.ci/containers\` builds
offline (Debian bookworm minbase, ${base ?? '?'} MB, larger than the official slim image: npm and the CA bundle kept). A build time
is that run's: with podman's layer cache from an earlier run (CI's case) it is the time of what changed. Start figures
include \`MIGRATE_ON_START\` on an empty database and the app's warm-up: what a user waits for after a service that
scaled to zero wakes (a platform's own scheduling comes on top). The engine's floor is the same image started the same
way with a bare node HTTP server instead of the app: \`podman start\` → its first 200, what no app can beat on this engine.

| project | image size | build | engine floor | start → first \`/readyz\` 200 | start → first login answered | SIGTERM → exit 0 (1.5 s request in flight) |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${rows.join('\n')}
`;
}
