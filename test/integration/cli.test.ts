import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, pgAdminUrl, type TestDatabase } from '../support/postgres.js';
import { makeProject } from '../support/projects.js';
import { runCli, startCli } from '../support/cli.js';

const FILES = {
  'migrations/001_create_notes.sql': 'create table public.notes (id bigint generated always as identity primary key, body text not null);',
  'migrations/002_add_notes_title.sql': 'alter table public.notes add column title text;\nselect pg_sleep(0.2);',
  'seed/001_notes.sql': "insert into public.notes (body, title) values ('hello', 'first');",
};

const PASSWORD = 'Sup3r-Secret-Pw';

describe('the CLI on the embedded database', () => {
  it('resets, reports status as text and JSON, and exits 0', async () => {
    const p = makeProject(FILES);
    const r = await runCli(['db', 'reset', '--cwd', p.root]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /reset in [\d.]+ s — dropped \d+ schema\(s\); applied 2 migration\(s\), 0 role file\(s\), 0 policy file\(s\), 1 seed file\(s\)/,
    );
    const s = await runCli(['status', '--json'], { cwd: p.root });
    expect(s.code).toBe(0);
    const doc = JSON.parse(s.stdout) as { ok: boolean; applied: number; pending: number; engine: string };
    expect(doc).toMatchObject({ ok: true, applied: 2, pending: 0, engine: 'pglite' });
    const text = await runCli(['migration', 'list', '--cwd', p.root]);
    expect(text.stdout).toMatch(/001\s+applied\s+create_notes/);
  });

  it('prints a syntax error with file:line:col and a caret, no stack trace, exit 1', async () => {
    const p = makeProject({ 'migrations/001_create_notes.sql': 'create table public.notes (\n  id int,\n  body text,,\n);\n' });
    const r = await runCli(['db', 'migrate', '--cwd', p.root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('supabase/migrations/001_create_notes.sql:3:13');
    expect(r.stderr).toContain('  3 |   body text,,');
    expect(r.stderr).toMatch(/\n\s+\|\s+\^/);
    expect(r.stderr).not.toMatch(/\n\s+at .+\.js:\d+/);
    const j = await runCli(['db', 'migrate', '--json', '--cwd', p.root]);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, error: { code: 'KEEL_SQL_SYNTAX', location: { line: 3, column: 13 } } });
  });

  it('explains a missing project folder and a dangling link, and skips an unversioned file as the Supabase CLI does', async () => {
    const empty = makeProject();
    fs.rmSync(path.join(empty.root, 'supabase'), { recursive: true });
    const r = await runCli(['status', '--cwd', empty.root]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`no supabase/ folder in ${empty.root}`);
    expect(r.stderr).toContain('hint:');
    const dangling = makeProject({ 'migrations/001_create_a.sql': 'select 1;' });
    fs.symlinkSync('/nonexistent/002.sql', path.join(dangling.root, 'supabase/migrations/002_create_b.sql'));
    const d = await runCli(['db', 'migrate', '--cwd', dangling.root]);
    expect(d.code).toBe(1);
    expect(d.stderr).toContain('cannot read supabase/migrations/002_create_b.sql: it is a link to a file that does not exist');
    const bad = makeProject({ 'migrations/update_db.sql': 'select 1;', 'migrations/001_fix_stuff.sql': 'select 1;' });
    const m = await runCli(['db', 'migrate', '--json', '--cwd', bad.root]);
    expect(m.code).toBe(0);
    expect(JSON.parse(m.stdout).warnings.join('\n')).toContain('update_db.sql has no version number: skipped');
    expect(JSON.parse(m.stdout).migrations.map((a: { version: string; status: string }) => `${a.version} ${a.status}`)).toEqual([
      '001 applied',
    ]);
  });

  it('refuses a second process on the same data dir, naming the holder', async () => {
    const p = makeProject({ 'migrations/001_slow.sql': 'select pg_sleep(4);' });
    const first = startCli(['db', 'migrate', '--cwd', p.root]);
    const lock = path.join(p.root, 'supabase/.keel/pglite.lock');
    for (let i = 0; i < 200 && !fs.existsSync(lock); i++) await new Promise((r) => setTimeout(r, 50));
    const second = await runCli(['db', 'migrate', '--cwd', p.root]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`is in use by process ${first.child.pid}`);
    expect(second.stderr).toContain('keel db migrate');
    expect((await first.done).code).toBe(0);
  });

  it('stops a statement that never returns (watchdog), releases the lock, and the database stays usable', async () => {
    const p = makeProject({ ...FILES, 'migrations/003_stuck.sql': 'create table public.stuck (id int);\nselect pg_sleep(30);' });
    const started = Date.now();
    const r = await runCli(['db', 'migrate', '--cwd', p.root], { env: { KEEL_PGLITE_TIMEOUT_MS: '2000' } });
    expect(r.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(r.stderr).toContain(
      'supabase/migrations/003_stuck.sql:1:1: the embedded database did not answer within 2 s while running: create table public.stuck',
    );
    expect(fs.existsSync(path.join(p.root, 'supabase/.keel/pglite.lock'))).toBe(false);
    const s = await runCli(['status', '--json', '--cwd', p.root]);
    expect(JSON.parse(s.stdout)).toMatchObject({ applied: 2, pending: 1 });
  });

  it('a kill -9 in the middle of a migration leaves the data dir as it was, and the stale lock is taken over', async () => {
    const p = makeProject({
      'migrations/001_create_a.sql': 'create table public.a (id int);',
      'migrations/002_create_b.sql':
        'create table public.b (id int);\ninsert into public.a select generate_series(1, 1000);\nselect pg_sleep(30);',
    });
    expect((await runCli(['db', 'migrate', '--to', '1', '--cwd', p.root])).code).toBe(0);
    const run = startCli(['db', 'migrate', '--cwd', p.root]);
    const lock = path.join(p.root, 'supabase/.keel/pglite.lock');
    for (let i = 0; i < 200 && !fs.existsSync(lock); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1500)); // inside 002's transaction by now
    run.child.kill('SIGKILL');
    await run.done;
    expect(fs.existsSync(lock)).toBe(true); // left behind by the killed process
    const s = await runCli(['status', '--json', '--cwd', p.root]);
    expect(s.code).toBe(0);
    expect(JSON.parse(s.stdout)).toMatchObject({ applied: 1, pending: 1 });
    // Table b was never committed: creating it again (no IF NOT EXISTS) succeeds.
    p.write('migrations/002_create_b.sql', 'create table public.b (id int);\ninsert into public.a select generate_series(1, 1000);');
    expect((await runCli(['db', 'migrate', '--cwd', p.root])).code).toBe(0);
  });

  it('keel test rls prints the matrix, exits 0 when the spec holds and 1 with the failing cell and its SQL when not', async () => {
    const p = makeProject();
    fs.cpSync(path.resolve(__dirname, '../../examples/srvc-crm/supabase'), path.join(p.root, 'supabase'), {
      recursive: true,
      filter: (src) => !src.includes(`${path.sep}.keel`),
    });
    const ok = await runCli(['test', 'rls', '--json', '--cwd', p.root]);
    expect(ok.code).toBe(0);
    const doc = JSON.parse(ok.stdout) as { ok: boolean; failed: number; passed: number };
    expect(doc).toMatchObject({ ok: true, failed: 0 });
    expect(doc.passed).toBeGreaterThan(100);
    fs.appendFileSync(
      path.join(p.root, 'supabase/policies/invoices_rls.sql'),
      '\ncreate policy "open" on public.invoices for select using (true);\n',
    );
    const bad = await runCli(['test', 'rls', '--no-probe', '--cwd', p.root]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/✗ public\.invoices select as \w+: expected/);
    expect(bad.stdout).toContain('sql: select "id"::text as key from "public"."invoices"');
    expect(bad.stdout.trim()).toMatch(/\d+ passed, [1-9]\d* failed$/);
  });

  it('init creates the layout and npm scripts without clobbering, and migration new follows the style', async () => {
    const p = makeProject();
    fs.writeFileSync(path.join(p.root, 'package.json'), JSON.stringify({ name: 'app', scripts: { 'db:seed': 'my-own-seed' } }, null, 2));
    const r = await runCli(['init', '--json', '--cwd', p.root]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { scriptsAdded: string[]; scriptsKept: string[] };
    expect(doc.scriptsKept).toEqual(['db:seed']);
    expect(doc.scriptsAdded).toEqual(['db:init', 'db:migrate', 'db:backup', 'db:validate', 'db:types']);
    const pkg = JSON.parse(fs.readFileSync(path.join(p.root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['db:seed']).toBe('my-own-seed');
    expect(pkg.scripts['db:migrate']).toBe('keel db migrate');
    for (const d of ['migrations', 'policies', 'roles', 'seed', 'types', 'backups'])
      expect(fs.existsSync(path.join(p.root, 'supabase', d))).toBe(true);
    expect(fs.readFileSync(path.join(p.root, '.gitignore'), 'utf8')).toContain('supabase/.keel/');
    fs.writeFileSync(path.join(p.root, 'supabase/migrations/007_create_users.sql'), 'select 1;');
    const n = await runCli(['migration', 'new', 'add teams table', '--cwd', p.root]);
    expect(n.stdout.trim()).toBe('created supabase/migrations/008_add_teams_table.sql');
    const text = fs.readFileSync(path.join(p.root, 'supabase/migrations/008_add_teams_table.sql'), 'utf8');
    expect(text).toContain('-- Description: add teams table');
    expect(text).toContain('-- Rollback for this migration');
  });
});

// Skipped only when no server exists locally; under CI the global setup fails instead, so this always runs there.
describe.skipIf(!pgAdminUrl())('the CLI on a real server', () => {
  let db: TestDatabase;
  let url: string;
  beforeAll(async () => {
    db = await createTestDatabase('cli');
    const u = new URL(db.url);
    u.password = PASSWORD; // the test server trusts loopback, so any password connects
    url = u.toString();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('never prints the password of --db-url or DATABASE_URL, in text, JSON or errors', async () => {
    const p = makeProject(FILES);
    const outputs = [
      await runCli(['db', 'reset', '--yes', '--db-url', url, '--cwd', p.root]),
      await runCli(['status', '--json', '--cwd', p.root], { env: { DATABASE_URL: url } }),
      await runCli(['db', 'ping', '--db-url', url, '--cwd', p.root]),
      await runCli(['db', 'migrate', '--debug', '--cwd', p.root, '--db-url', url.replace(/:\d+\//, ':1/')]),
      await runCli(['db', 'migrate', '--cwd', p.root, '--db-url', `postgres://nobody:${PASSWORD}@[::1`]),
    ];
    expect(outputs.map((o) => o.code)).toEqual([0, 0, 0, 1, 2]); // unreachable: 1; a URL that does not parse: a usage error, 2
    expect(JSON.parse(outputs[1]!.stdout)).toMatchObject({ applied: 2, engine: 'postgres' });
    expect(outputs[3]!.stderr).toContain('connection refused');
    for (const o of outputs) expect(`${o.stdout}${o.stderr}`).not.toContain(PASSWORD);
  });

  it('refuses to reset a non-local server without --yes (no TTY to ask), and touches nothing', async () => {
    const p = makeProject(FILES);
    await runCli(['db', 'reset', '--yes', '--db-url', url, '--cwd', p.root]);
    // 127.0.0.2 is this machine too, but not a name Keel treats as local: reach the server through a TCP relay there.
    const target = new URL(url);
    const relay = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), '127.0.0.1');
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.2', resolve));
    try {
      const remote = new URL(url);
      remote.hostname = '127.0.0.2';
      remote.port = String((relay.address() as net.AddressInfo).port);
      const r = await runCli(['db', 'reset', '--cwd', p.root, '--db-url', remote.toString()]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`refusing to reset postgres://postgres@127.0.0.2:${remote.port}/`);
      expect(r.stderr).toContain('--yes');
      const s = await runCli(['status', '--json', '--cwd', p.root, '--db-url', remote.toString()]);
      expect(JSON.parse(s.stdout)).toMatchObject({ applied: 2 });
    } finally {
      relay.close();
    }
  });

  it('two migrators at once apply each file exactly once', async () => {
    const fresh = await createTestDatabase('race');
    try {
      const files: Record<string, string> = {};
      for (let i = 1; i <= 6; i++) {
        files[`migrations/00${i}_create_t${i}.sql`] = `create table public.t${i} (id int);\nselect pg_sleep(0.15);`;
      }
      const p = makeProject(files);
      const runs = await Promise.all([0, 1].map(() => runCli(['db', 'migrate', '--json', '--db-url', fresh.url, '--cwd', p.root])));
      expect(runs.map((r) => r.code)).toEqual([0, 0]);
      const applied = runs.flatMap((r) =>
        (JSON.parse(r.stdout) as { migrations: { version: string; status: string }[] }).migrations
          .filter((m) => m.status === 'applied')
          .map((m) => m.version),
      );
      expect(applied.sort()).toEqual(['001', '002', '003', '004', '005', '006']);
      const s = await runCli(['status', '--json', '--db-url', fresh.url, '--cwd', p.root]);
      expect(JSON.parse(s.stdout)).toMatchObject({ applied: 6, pending: 0 });
    } finally {
      await fresh.drop();
    }
  });
});
