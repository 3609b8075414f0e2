/**
 * `keel db serve`: the embedded database over the PostgreSQL wire protocol on 127.0.0.1, reached by the `pg` driver
 * and by psql as any server would be. One project, one serve process (the CLI from dist/, as users run it).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/pglite/engine.js';
import { runCli, startCli, type CliResult } from '../support/cli.js';
import { makeProject } from '../support/projects.js';

const run = promisify(execFile);
const PSQL = ['/usr/bin/psql', '/usr/lib/postgresql/15/bin/psql'].find((p) => fs.existsSync(p));

/** Resolves with the first line of stdout that parses with `pick`, or fails with what the process printed. */
function firstOutput<T>(child: ReturnType<typeof startCli>, pick: (text: string) => T | undefined, timeoutMs = 45_000): Promise<T> {
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no output within ${timeoutMs} ms: ${out}`)), timeoutMs);
    child.child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const got = pick(out);
      if (got !== undefined) {
        clearTimeout(timer);
        resolve(got);
      }
    });
    void child.done.then((r) => reject(new Error(`keel db serve exited (${r.code}): ${r.stdout}${r.stderr}`)));
  });
}

describe('keel db serve', () => {
  const p = makeProject({
    'migrations/001_notes.sql': 'create table public.notes (id int primary key, body text not null);',
    'seed/001_notes.sql': "insert into public.notes values (1, 'seeded');",
  });
  let serve: ReturnType<typeof startCli> | undefined;
  afterAll(() => void serve?.child.kill('SIGKILL'));

  it('refuses a database URL: that is already a server (exit 2, the URL redacted)', async () => {
    const r = await runCli(['db', 'serve', '--db-url', 'postgres://app:s3cret@db.example.com:5432/app'], { cwd: p.root });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('postgres://app:***@db.example.com:5432/app is already a PostgreSQL server');
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('serves the migrated data dir to pg and psql, one client at a time, and stops cleanly on SIGTERM', async () => {
    const reset = await runCli(['db', 'reset', '--yes', '--json'], { cwd: p.root });
    expect(reset.code, reset.stderr).toBe(0);

    serve = startCli(['db', 'serve', '--port', '0', '--json'], { cwd: p.root });
    const doc = await firstOutput(serve, (text) => {
      try {
        return JSON.parse(text) as { ok: boolean; url: string; port: number; dataDir: string; maxConnections: number };
      } catch {
        return undefined;
      }
    });
    expect(doc).toMatchObject({ ok: true, dataDir: 'supabase/.keel/pglite', maxConnections: 1 });
    expect(doc.url).toBe(`postgresql://postgres@127.0.0.1:${doc.port}/postgres`);
    // other Keel processes are refused, the lock naming the server and its URL
    expect(fs.readFileSync(path.join(p.root, 'supabase/.keel/pglite.lock'), 'utf8')).toContain(`keel db serve on ${doc.url}`);

    // the pg driver: extended protocol (parameters), a transaction, the project's table and the shim's schemas
    const a = new pg.Client({ connectionString: doc.url });
    await a.connect();
    try {
      expect((await a.query('select id, body from public.notes where id = $1', [1])).rows).toEqual([{ id: 1, body: 'seeded' }]);
      await a.query('begin');
      await a.query("insert into public.notes values (2, 'over the wire')");
      await a.query('commit');
      await a.query('set role anon'); // session state the next client must not inherit
      const schemas = await a.query<{ n: string }>(`select nspname as n from pg_namespace where nspname in ('auth', 'storage') order by 1`);
      expect(schemas.rows.map((r) => r.n)).toEqual(['auth', 'storage']);

      // a second client while one is connected: refused as PostgreSQL refuses one over max_connections
      const b = new pg.Client({ connectionString: doc.url });
      const refused = await b.connect().then(
        () => undefined,
        (e: { code?: string; message: string }) => e,
      );
      await b.end().catch(() => undefined);
      expect(refused?.code).toBe('53300');
      expect(refused?.message).toContain('one connection at a time');
    } finally {
      await a.end();
    }

    if (PSQL) {
      const { stdout } = await run(PSQL, [
        doc.url,
        '-X',
        '-At',
        '-c',
        'select current_user',
        '-c',
        'select body from public.notes order by id',
      ]);
      expect(stdout.trim().split('\n')).toEqual(['postgres', 'seeded', 'over the wire']); // a fresh session: not anon
      const dt = await run(PSQL, [doc.url, '-X', '-At', '-c', '\\dt public.*']);
      expect(dt.stdout).toContain('public|notes|table');
    }

    serve.child.kill('SIGTERM');
    const done: CliResult = await serve.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toBe('');
    expect(fs.existsSync(path.join(p.root, 'supabase/.keel/pglite.lock'))).toBe(false);

    // the data dir is closed and whole: a normal command opens it and sees what was written over the wire
    const status = await runCli(['status', '--json'], { cwd: p.root });
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ ok: true, applied: 1, pending: 0 });
    const e = await openPglite({ dataDir: path.join(p.root, 'supabase/.keel/pglite') });
    try {
      expect((await e.query('select count(*)::int as n from public.notes')).rows).toEqual([{ n: 2 }]);
    } finally {
      await e.close();
    }
  });
});
