/**
 * Generated projects for the bench: made with the real CLI into the shared e2e folder (they resolve their
 * packages from its one install), built with tsc, with a fresh database each. PostgreSQL databases are
 * named cwb_bench_*, and dropped by dropDatabases(); Redis runs in an empty logical database of its own,
 * emptied by releaseRedis().
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout ?? ''}${r.stderr ?? ''}${r.error ?? ''}`);
  return r.stdout;
}

export function projects({ repo, e2eDir }) {
  const shared = path.join(e2eDir, 'node_modules', '.bin');
  const requireShared = createRequire(path.join(e2eDir, 'package.json'));
  const noSchemaEngine = path.join(repo, 'assets', 'no-schema-engine.txt');
  const tag = `${process.env.CWB_E2E_TAG ?? ''}${process.pid}`.replace(/[^a-z0-9_]/gi, '_').toLowerCase();
  const pgDatabases = [];
  let redisDb;

  return {
    /** Generates `bench-<name>` with these CLI flags (with another build of the CLI: `cli`) and builds it; returns its folder. */
    build(name, flags, cli = path.join(repo, 'bin', 'create-wx-backend.js')) {
      const parent = path.join(e2eDir, 'projects');
      const dir = path.join(parent, `bench-${name}`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(parent, { recursive: true });
      sh(process.execPath, [cli, `bench-${name}`, '--yes', '--no-install', '--no-git', ...flags], {
        cwd: parent,
        env: { ...process.env, CI: 'true' },
      });
      sh(path.join(shared, 'prisma'), ['generate'], { cwd: dir, env: { ...process.env, PRISMA_SCHEMA_ENGINE_BINARY: noSchemaEngine } });
      sh(path.join(shared, 'tsc'), ['-p', 'tsconfig.build.json'], { cwd: dir });
      return dir;
    },

    /** A fresh, migrated database for the project (its own resetDatabase, i.e. its committed migrations). */
    resetDatabase(dir, db) {
      let url = 'file:./bench.db';
      if (db === 'postgresql') {
        const name = `cwb_bench_${tag}_${pgDatabases.length}`;
        pgDatabases.push(name);
        url = `postgresql://postgres@127.0.0.1:5432/${name}`;
      }
      const code = `require('./test/support/database').resetDatabase(${JSON.stringify(url)}).then(() => process.exit(0), (e) => { console.error(e); process.exit(1); })`;
      sh(path.join(shared, 'tsx'), ['-e', code], { cwd: dir });
      return url;
    },

    /** The generated project's fake WeChat (test/support, or scripts/ where it may move), as a module path. */
    fakeWechatModule(dir) {
      const found = ['scripts/fake-wechat.ts'].map((p) => path.join(dir, p)).find((p) => fs.existsSync(p));
      if (!found) throw new Error(`no scripts/fake-wechat.ts in ${dir}`);
      return found;
    },

    tsx: path.join(shared, 'tsx'),

    /** An empty Redis logical database (15 down to 1) for the bench alone: a redis:// URL. */
    async claimRedis() {
      const Redis = requireShared('ioredis');
      for (let db = 15; db >= 1; db--) {
        const r = new Redis(`redis://127.0.0.1:6379/${db}`, { lazyConnect: true, maxRetriesPerRequest: 1 });
        await r.connect();
        const size = await r.dbsize();
        if (size === 0) {
          await r.set('cwb_bench:claimed', tag, 'EX', 3600); // marks it taken for a concurrent run
          r.disconnect();
          redisDb = db;
          return `redis://127.0.0.1:6379/${db}`;
        }
        r.disconnect();
      }
      throw new Error('no empty Redis logical database (1–15) for the bench');
    },

    /** Drops every PostgreSQL database made here and empties the Redis database claimed. */
    async cleanUp() {
      if (pgDatabases.length > 0) {
        const { Client } = requireShared('pg');
        const c = new Client({ connectionString: 'postgresql://postgres@127.0.0.1:5432/postgres' });
        await c.connect();
        try {
          for (const name of pgDatabases.splice(0)) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await c.end();
        }
      }
      if (redisDb !== undefined) {
        const Redis = requireShared('ioredis');
        const r = new Redis(`redis://127.0.0.1:6379/${redisDb}`, { lazyConnect: true, maxRetriesPerRequest: 1 });
        await r.connect();
        if ((await r.get('cwb_bench:claimed')) === tag) await r.flushdb();
        r.disconnect();
        redisDb = undefined;
      }
    },
  };
}
