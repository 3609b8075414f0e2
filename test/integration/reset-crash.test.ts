import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/cli.js';
import { createTestDatabase, pgAdminUrl } from '../support/postgres.js';
import { makeProject } from '../support/projects.js';

const FILES = {
  'migrations/001_notes.sql':
    'create extension pg_trgm with schema extensions;\ncreate table public.notes (id int primary key, body text);',
  'seed/001_notes.sql': `insert into public.notes values (1, 'kept');`,
};
const SLOW_SEED = `insert into public.notes values (2, 'never');\nselect pg_sleep(30);`;

function treeHash(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');
    }
  };
  walk(dir);
  return out;
}

async function until(check: () => boolean | Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a reset killed mid-way (embedded)', () => {
  it('SIGKILL during the build leaves the old data dir byte for byte; the next command cleans up and works', async () => {
    const p = makeProject(FILES);
    const keel = path.join(p.root, 'supabase/.keel');
    expect((await runCli(['db', 'reset', '--cwd', p.root])).code).toBe(0);
    const before = treeHash(path.join(keel, 'pglite'));
    p.write('seed/002_slow.sql', SLOW_SEED);
    const run = startCli(['db', 'reset', '--cwd', p.root]);
    await until(() => fs.readdirSync(keel).some((n) => n.startsWith('pglite.reset-') && fs.existsSync(path.join(keel, n, 'PG_VERSION'))));
    await new Promise((r) => setTimeout(r, 1500)); // in the slow seed by now
    run.child.kill('SIGKILL');
    await run.done;
    expect(fs.readdirSync(keel).some((n) => n.startsWith('pglite.reset-'))).toBe(true); // left by the killed process
    expect(treeHash(path.join(keel, 'pglite'))).toEqual(before);
    const s = await runCli(['status', '--json', '--cwd', p.root]);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout)).toMatchObject({ applied: 1, pending: 0 });
    expect(fs.readdirSync(keel).filter((n) => n.startsWith('pglite.reset-') || n.startsWith('pglite.old-'))).toEqual([]);
    expect(fs.existsSync(path.join(keel, 'pglite.lock'))).toBe(false);

    // A kill between the swap's two renames (no data dir, the old one aside): the next command puts the old one back.
    fs.renameSync(path.join(keel, 'pglite'), path.join(keel, 'pglite.old-1-deadbeef'));
    fs.mkdirSync(path.join(keel, 'pglite.reset-1-cafebabe'));
    const again = await runCli(['status', '--json', '--cwd', p.root]);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: 1 });
    // (a spare for the next reset may or may not have been finished by the killed process)
    expect(fs.readdirSync(keel).filter((n) => n.startsWith('pglite.') && n !== 'pglite.spare')).toEqual(['pglite.extensions.json']);
    p.remove('seed/002_slow.sql');
    const r = await runCli(['db', 'reset', '--json', '--cwd', p.root]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ mode: 'data-dir', replaced: true });
  });
});

describe.runIf(pgAdminUrl())('a reset killed mid-way (postgres)', () => {
  it('SIGKILL during the build leaves the old database usable; the next reset drops the scratch database', async () => {
    const db = await createTestDatabase('crash');
    const client = async <T>(sql: string) => {
      const c = new pg.Client({ connectionString: pgAdminUrl()! });
      await c.connect();
      try {
        return (await c.query(sql)).rows as T[];
      } finally {
        await c.end();
      }
    };
    const scratchCount = async () =>
      (await client<{ n: number }>(`select count(*)::int as n from pg_database where datname like '${db.name}\\_keel\\_%'`))[0]!.n;
    try {
      const p = makeProject(FILES);
      const env = { DATABASE_URL: db.url };
      const first = await runCli(['db', 'reset', '--json', '--cwd', p.root], { env });
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout)).toMatchObject({ mode: 'new-database' });
      // a shorter sleep: the killed client's server session runs its statement to the end before it notices
      p.write('seed/002_slow.sql', SLOW_SEED.replace('30', '5'));
      const run = startCli(['db', 'reset', '--cwd', p.root], { env });
      await until(async () => (await scratchCount()) > 0);
      await new Promise((r) => setTimeout(r, 1500));
      run.child.kill('SIGKILL');
      await run.done;
      const s = await runCli(['status', '--json', '--cwd', p.root], { env });
      expect(s.code).toBe(0);
      expect(JSON.parse(s.stdout)).toMatchObject({ applied: 1, pending: 0 });
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      expect((await c.query('select id, body from public.notes')).rows).toEqual([{ id: 1, body: 'kept' }]);
      await c.end();
      p.remove('seed/002_slow.sql');
      // the killed reset's server session may take a moment to end; then the next reset removes its scratch database
      await until(
        async () =>
          (await client<{ n: number }>(`select count(*)::int as n from pg_stat_activity where datname like '${db.name}\\_keel\\_%'`))[0]!
            .n === 0,
      );
      const text = await runCli(['db', 'reset', '--cwd', p.root], { env });
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('mode: new-database (built in a scratch database, renamed into place; the old database dropped)');
      expect(await scratchCount()).toBe(0);
    } finally {
      await db.drop();
    }
  });
});
