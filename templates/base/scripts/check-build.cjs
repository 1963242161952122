// `npm start` runs the build in dist/: before `npm run build` there is none, and Node would print a
// stack about a missing module. This says what to do instead, in the package manager that ran it.
const fs = require('node:fs');
const path = require('node:path');

if (!fs.existsSync(path.join(__dirname, '..', 'dist', 'server.js'))) {
  const pm = (process.env.npm_config_user_agent || 'npm').split('/')[0];
  console.error(
    `No build yet (dist/server.js is missing): run \`${pm} run build\` first, then \`${pm} start\` (or \`${pm} run dev\` while developing).`,
  );
  process.exit(1);
}
