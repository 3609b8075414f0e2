/**
 * `keel db backup --db-url URL --output DIR` and `keel db restore DIR --db-url URL` in a folder with no supabase/, as
 * pg_dump and pg_restore work: no history log is written (there is no project to keep it). Without a URL there is no
 * database to name: a clear error. A PGlite database belongs to a project folder, so that engine is the error case.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../src/index.js';
import { pgAdminUrl } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget } from '../support/projects.js';
import { runCli } from '../support/cli.js';

const targets: TestTarget[] = [];
afterAll(async () => {
  for (const t of targets) await t.drop();
});

function emptyDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'keel-noproject-'));
}

describe('backup and restore without a project (pglite: no database to name)', () => {
  it('backup and restore refuse with a hint to pass --db-url, and create nothing', async () => {
    const dir = emptyDir();
    const b = await runCli(['db', 'backup', '--output', 'x.keel', '--cwd', dir]);
    expect(b.code).toBe(1);
    expect(b.stderr).toMatch(/no supabase\/ folder in .*, and no database URL/);
    expect(b.stderr).toMatch(/--db-url/);
    expect(b.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const r = await runCli(['db', 'restore', 'x.keel', '--json', '--cwd', dir]);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).error.code).toBe('KEEL_NO_PROJECT');
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});

describe.runIf(pgAdminUrl())('backup and restore without a project on postgres', () => {
  it('backs up by URL into --output (or the current folder), restores by URL, and writes no history log', async () => {
    const src = await targetFor('postgres');
    const dst = await targetFor('postgres');
    targets.push(src, dst);
    const p = makeProject({
      'migrations/001_notes.sql': `create table public.notes (id bigint generated always as identity primary key, body text not null);
        insert into public.notes (body) select 'note ' || g from generate_series(1, 25) g;`,
    });
    await migrate({ cwd: p.root, ...src.options });

    const dir = emptyDir();
    const b = await runCli(['db', 'backup', '--db-url', src.url!, '--output', 'dump.keel', '--json'], { cwd: dir });
    expect(b.code).toBe(0);
    const doc = JSON.parse(b.stdout);
    expect(doc.path).toBe(path.join(fs.realpathSync(dir), 'dump.keel'));
    expect(doc.historyFile).toBeUndefined();
    expect(doc.tables).toEqual(expect.arrayContaining([{ table: 'public.notes', rows: 25, bytes: expect.any(Number) }]));
    // With no --output, the folder lands in the current directory under the usual name.
    const named = await runCli(['db', 'backup', '--schema-only', '--db-url', src.url!], { cwd: dir });
    expect(named.code).toBe(0);
    expect(fs.readdirSync(dir).filter((f) => /^\d{8}T\d{6}Z_schema\.keel$/.test(f))).toHaveLength(1);
    expect(fs.existsSync(path.join(dir, 'docs'))).toBe(false);

    const r = await runCli(['db', 'restore', 'dump.keel', '--db-url', dst.url!, '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: true,
      schemaApplied: true,
      tables: expect.arrayContaining([{ table: 'public.notes', rows: 25 }]),
    });
    // DATABASE_URL works as --db-url does.
    const again = await runCli(['db', 'restore', path.join(dir, 'dump.keel'), '--clean', '--json'], {
      cwd: emptyDir(),
      env: { DATABASE_URL: dst.url! },
    });
    expect(again.code).toBe(0);
    const verify = await runCli(['db', 'backup', 'verify', 'dump.keel'], { cwd: dir });
    expect(verify.code).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['dump.keel', ...fs.readdirSync(dir).filter((f) => f.endsWith('_schema.keel'))].sort());
  }, 120_000);
});
