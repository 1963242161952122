import fs from 'node:fs';
import path from 'node:path';
import { BIN, tempDir } from '../support/cli';
import { expectOk, projectEnv, run } from '../support/e2e';
import { freePort } from '../support/ports';
import { Proc } from '../support/processes';

/**
 * What the README promises a newcomer: `create-wx-backend demo --yes` installs a working project,
 * whose own tests pass and whose `npm run dev:mock` serves login on SQLite with nothing else installed.
 * The CLI runs on the machine's Node; the user's shell has Node 22 first on PATH (the project's engines
 * start there), so the install step, the project's scripts and its server run on Node 22.
 */
let cwd: string;
let dir: string;
let scaffold: { code: number | null; output: string };
const gitIdentity = {
  GIT_AUTHOR_NAME: 'ci',
  GIT_AUTHOR_EMAIL: 'ci@example.com',
  GIT_COMMITTER_NAME: 'ci',
  GIT_COMMITTER_EMAIL: 'ci@example.com',
};
const env = (extra: Record<string, string> = {}) => projectEnv({ ...gitIdentity, ...extra });

beforeAll(async () => {
  cwd = tempDir('cwb-default-');
  dir = path.join(cwd, 'demo');
  scaffold = await run(process.execPath, [BIN, 'demo', '--yes'], { cwd, env: env(), timeoutMs: 600_000 });
}, 620_000);
afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));

test('scaffolds, installs, generates the Prisma client and commits, each step reported with its time', () => {
  expectOk(scaffold, 'create-wx-backend demo --yes');
  for (const step of ['Installing dependencies', 'Generating the Prisma client', 'Creating a git repository with a first commit']) {
    expect(scaffold.output).toMatch(new RegExp(`✔ ${step} \\(\\d+\\.\\ds\\)`));
  }
  expect(fs.existsSync(path.join(dir, 'node_modules', 'koa'))).toBe(true);
  expect(fs.existsSync(path.join(dir, 'src', 'generated', 'prisma', 'client.ts'))).toBe(true);
  // on a supported Node the CLI has nothing to warn about
  expect(scaffold.output).not.toMatch(/not one the project supports/);
});

test("the generated project's own npm test and typecheck pass", async () => {
  expectOk(await run('npm', ['test', '--', '--ci'], { cwd: dir, env: env(), timeoutMs: 240_000 }), 'npm test');
  expectOk(await run('npm', ['run', 'typecheck'], { cwd: dir, env: env() }), 'npm run typecheck');
}, 300_000);

test('npm run dev:mock: login → me → logout → me is 401, on SQLite with no server installed', async () => {
  const port = await freePort();
  // its own process group: npm starts tsx, which starts the app; all of them stop together
  const devMock = new Proc('npm', ['run', 'dev:mock'], { cwd: dir, env: env({ PORT: String(port) }), detached: true });
  try {
    await devMock.waitFor(/app at http/, 30_000);
    const base = `http://127.0.0.1:${port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code: 'demo' }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const auth = { Authorization: `JWT ${token}` };
    expect((await fetch(`${base}/api/auth/me`, { headers: auth })).status).toBe(200);

    // the profile page's flow: a nickname, then an avatar that WeChat's (fake) media check approves by push
    const nickname = await fetch(`${base}/api/users/me`, {
      method: 'PUT',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ nickname: '小明' }),
    });
    expect([nickname.status, ((await nickname.json()) as { user: { nickname: string } }).user.nickname]).toEqual([200, '小明']);
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(64)]);
    const form = new FormData();
    form.append('avatar', new Blob([png], { type: 'image/png' }), 'tmp_avatar.png');
    const upload = await fetch(`${base}/api/users/me/avatar`, { method: 'POST', headers: auth, body: form });
    const uploaded = (await upload.json()) as { user: { avatarUrl: string; avatarPending: boolean } };
    expect([upload.status, uploaded.user.avatarPending]).toEqual([200, true]);
    let approved = false;
    for (let i = 0; i < 40 && !approved; i++) {
      await new Promise((r) => setTimeout(r, 250));
      approved = !((await (await fetch(`${base}/api/auth/me`, { headers: auth })).json()) as { user: { avatarPending: boolean } }).user
        .avatarPending;
    }
    expect(approved).toBe(true);
    const image = await fetch(uploaded.user.avatarUrl);
    expect([image.status, Buffer.from(await image.arrayBuffer()).equals(png)]).toEqual([200, true]);

    expect((await fetch(`${base}/api/auth/logout`, { method: 'POST', headers: auth })).status).toBe(204);
    expect((await fetch(`${base}/api/auth/me`, { headers: auth })).status).toBe(401);
  } finally {
    process.kill(-devMock.child.pid!, 'SIGTERM');
  }
}, 60_000);

test('dev:mock refuses NODE_ENV=production', async () => {
  const r = await run('npm', ['run', 'dev:mock'], { cwd: dir, env: env({ NODE_ENV: 'production' }), timeoutMs: 60_000 });
  expect(r.code).not.toBe(0);
  expect(r.output).toContain('cannot run with NODE_ENV=production');
}, 60_000);

test('the built server refuses to start without its WeChat credentials, naming each problem', async () => {
  expectOk(await run('npm', ['run', 'build'], { cwd: dir, env: env() }), 'npm run build');
  // .env has no AppID or AppSecret yet (the user fills them in): the start must fail fast and say so.
  const r = await run('node', ['dist/server.js'], { cwd: dir, env: env(), timeoutMs: 30_000 });
  expect(r.code).toBe(1);
  expect(r.output).toContain('WX_APPID is missing');
  expect(r.output).toContain('WX_SECRET is missing');
  expect(r.output).not.toMatch(/JWT_SECRET=|\n\s+at /);
}, 120_000);
