/**
 * Hostile migration folders and connections (issue 12): `COPY … FROM STDIN` refused before anything runs, session state
 * a file leaves behind (role, session authorization, read-only characteristics, also from a DO block or inside the
 * file's own BEGIN/COMMIT) reset before the next file, files migrate would refuse making `status` / `migration list`
 * exit 1, `migration new` names and bad option values as usage errors (exit 2), a connection terminated mid-file, and
 * `sslmode=require` against a server without SSL. Every database case on PGlite and on the real server.
 */
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { scrub } from '../../src/core/redact.js';
import { prepareSuites } from '../../src/features/pgtap/run-file.js';
import { KeelError, migrate, openEngine, reset, seed, status } from '../../src/index.js';
import { engineNames, pgAdminUrl } from '../support/postgres.js';
import { makeProject, targetFor, type TempProject, type TestTarget } from '../support/projects.js';

async function rows<T>(p: TempProject, t: TestTarget, sql: string): Promise<T[]> {
  const engine = await openEngine(
    t.url ? { kind: 'postgres', url: t.url } : { kind: 'pglite', dataDir: `${p.root}/supabase/.keel/pglite` },
  );
  try {
    return (await engine.query<T>(sql)).rows;
  } finally {
    await engine.close();
  }
}

async function caught(p: Promise<unknown>): Promise<KeelError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KeelError) return err;
    throw err;
  }
  throw new Error('expected a KeelError');
}

/** The CLI in-process, its output scrubbed as the real one's is (defaultIo). */
async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { out: (t) => out.push(scrub(t)), err: (t) => err.push(scrub(t)), color: false });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

const versions = (p: TempProject, t: TestTarget) =>
  rows<{ version: string }>(p, t, 'select version from supabase_migrations.schema_migrations order by 1').then((r) =>
    r.map((x) => x.version),
  );
const NO_STACK = /\n\s+at .+:\d+/;

describe.each(engineNames)('COPY … FROM STDIN, on %s', (engineName) => {
  const targets: TestTarget[] = [];
  afterAll(async () => {
    for (const t of targets) await t.drop();
  });
  const fresh = async () => {
    const t = await targetFor(engineName);
    targets.push(t);
    return t;
  };

  it('is refused at file:line:col before anything runs (PGlite would wait for rows until its watchdog)', async () => {
    const t = await fresh();
    const p = makeProject({
      'migrations/001_create_t.sql': 'create table public.t (id int);',
      'migrations/002_load_t.sql': 'insert into public.t values (1);\n  copy public.t (id) from stdin;\n',
    });
    const started = Date.now();
    const err = await caught(migrate({ cwd: p.root, ...t.options }));
    expect(Date.now() - started).toBeLessThan(8000);
    expect(err.code).toBe('KEEL_SQL_COPY_STDIN');
    expect(err.message).toBe('supabase/migrations/002_load_t.sql:2:3: COPY … FROM STDIN needs data that a migration file cannot carry');
    expect(err.location).toEqual({ file: 'supabase/migrations/002_load_t.sql', line: 2, column: 3 });
    expect(err.hint).toContain('INSERT');
    expect(err.hint).toContain("copy … from '/path");
    expect(err.hint).toContain('seed');
    expect(await rows(p, t, `select count(*)::int as n from pg_tables where tablename = 't'`)).toEqual([{ n: 0 }]);
  });

  it("explains pg_dump's inline rows instead of a syntax error at the first row, and refuses it in seeds", async () => {
    const t = await fresh();
    const p = makeProject({
      'migrations/001_create_t.sql': 'create table public.t (id int);',
      'migrations/002_dump.sql': '-- pg_dump\nCOPY public.t (id) FROM stdin;\n1\n2\n\\.\n',
    });
    const err = await caught(migrate({ cwd: p.root, ...t.options }));
    expect(err.code).toBe('KEEL_SQL_COPY_STDIN');
    expect(err.location).toEqual({ file: 'supabase/migrations/002_dump.sql', line: 2, column: 1 });
    expect(err.message).toContain('rows inline');
    p.remove('migrations/002_dump.sql');
    p.write('seed/001_rows.sql', 'copy public.t from stdin;');
    const s = await caught(seed({ cwd: p.root, ...t.options }));
    expect(s.code).toBe('KEEL_SQL_COPY_STDIN');
    expect(s.message).toBe('supabase/seed/001_rows.sql:1:1: COPY … FROM STDIN needs data that a SQL file run by Keel cannot carry');
  });

  it('lets COPY … TO STDOUT run (the rows are read and dropped)', async () => {
    const t = await fresh();
    const p = makeProject({
      'migrations/001_create_t.sql':
        'create table public.t (id int);\ninsert into public.t values (1);\ncopy public.t to stdout;\ncopy (select 1) to stdout;',
    });
    const r = await migrate({ cwd: p.root, ...t.options });
    expect(r.migrations.map((m) => m.status)).toEqual(['applied']);
  });
});

describe('COPY … FROM STDIN in a pgTAP suite', () => {
  it('is the suite error, with its location, and the suite does not run', async () => {
    const p = makeProject({ 'tests/a.sql': 'select plan(1);\ncopy t from stdin;\nselect ok(true);' });
    const file = 'supabase/tests/a.sql';
    const [suite] = await prepareSuites([{ path: path.join(p.root, file), file }]);
    expect(suite!.error).toMatchObject({ code: 'KEEL_SQL_COPY_STDIN', location: { file, line: 2, column: 1 } });
  });
});

describe.each(engineNames)('session state a file leaves behind, on %s', (engineName) => {
  const role = `keel_hostile_${process.pid}_${engineName}`;
  const targets: TestTarget[] = [];
  afterAll(async () => {
    for (const t of targets) await t.drop();
    const admin = pgAdminUrl();
    if (engineName === 'postgres' && admin) {
      const c = new pg.Client(admin);
      await c.connect();
      await c.query(`drop role if exists ${role}`).catch(() => undefined);
      await c.end();
    }
  });

  // each file leaves the session unable to write or to create in public; the file after it must not notice
  const FILES = {
    'migrations/001_role.sql': `create role ${role} nologin;\nset role ${role};\nselect 1;`,
    'migrations/002_read_only.sql': 'set session characteristics as transaction read only;',
    'migrations/003_role_in_do.sql': `do $$ begin perform set_config('role', '${role}', false); end $$;`,
    'migrations/004_read_only_in_do.sql': `do $$ begin execute 'set session characteristics as transaction read only'; end $$;`,
    'migrations/005_authorization_in_block.sql': `begin;\nset session authorization ${role};\ncommit;`,
    'migrations/006_timeout_in_function.sql': `create function public.quick() returns void language plpgsql as $$ begin perform set_config('statement_timeout', '1', false); end $$;\nselect public.quick();`,
    'migrations/007_create.sql': `create table public.after (id int, who text default current_user, login text default session_user, ro text default current_setting('default_transaction_read_only'), timeout text default current_setting('statement_timeout'));\ninsert into public.after (id) values (1);\nselect pg_sleep(0.01);`,
  };

  it('is reset before the next file (role, session authorization, read only, settings), and the history is right', async () => {
    const t = await targetFor(engineName);
    targets.push(t);
    const p = makeProject(FILES);
    const r = await migrate({ cwd: p.root, ...t.options });
    expect(r.migrations.map((m) => `${m.version} ${m.status}`)).toEqual(
      ['001', '002', '003', '004', '005', '006', '007'].map((v) => `${v} applied`),
    );
    expect(await versions(p, t)).toEqual(['001', '002', '003', '004', '005', '006', '007']);
    const [after] = await rows<{ who: string; login: string; ro: string; timeout: string }>(
      p,
      t,
      'select who, login, ro, timeout from public.after',
    );
    expect(after!.who).toBe(after!.login);
    expect(after!.login).not.toBe(role);
    expect(after!.ro).toBe('off');
    expect(after!.timeout).toBe('0');
    // the next command's session is clean too
    const s = await status({ cwd: p.root, ...t.options });
    expect(s.upToDate).toBe(true);
  });

  it("is reset in a reset that shares one transaction, and Keel's own settings (the secrets key) survive it", async () => {
    const t = await targetFor(engineName);
    targets.push(t);
    const p = makeProject({
      ...FILES,
      'migrations/001_role.sql': `do $$ begin if not exists (select from pg_roles where rolname = '${role}') then create role ${role} nologin; end if; end $$;\nset role ${role};`,
      'seed.sql': "insert into public.after (id, who) values (2, keel.decrypt_secret(keel.encrypt_secret('kept')));",
    });
    const r = await reset({ cwd: p.root, ...t.options, env: { KEEL_ENCRYPTION_KEY: 'hostile-key' }, yes: true });
    expect(r.seeds.map((s) => s.status)).toEqual(['applied']);
    expect(await rows(p, t, 'select id, who from public.after order by id')).toEqual([
      { id: 1, who: (await rows<{ u: string }>(p, t, 'select session_user::text as u'))[0]!.u },
      { id: 2, who: 'kept' },
    ]);
  });
});

describe.each(engineNames)('status and migration list with files migrate refuses, on %s', (engineName) => {
  let t: TestTarget;
  afterAll(async () => {
    await t?.drop();
  });

  it('exit 1 and say why (duplicate versions, a syntax error, COPY FROM STDIN); skipped files are named and stay skipped', async () => {
    t = await targetFor(engineName);
    const p = makeProject({
      'migrations/001_create_a.sql': 'create table public.a (id int);',
      'migrations/002_x.SQL': 'select 1/0;',
      'migrations/readme_002.sql': 'select 1/0;',
    });
    const target = t.url ? ['--db-url', t.url] : [];
    // what the CLI skips: migrate applies 001 only
    const m = await cli(['db', 'migrate', '--json', '--cwd', p.root, ...target]);
    expect(m.code).toBe(0);
    const applied = JSON.parse(m.stdout) as { migrations: { version: string }[]; warnings: string[] };
    expect(applied.migrations.map((x) => x.version)).toEqual(['001']);
    expect(applied.warnings.join('\n')).toContain(
      'supabase/migrations/002_x.SQL ends in .SQL, not .sql: skipped, as the Supabase CLI skips it',
    );
    const ok = await cli(['status', '--cwd', p.root, ...target]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('warning: supabase/migrations/002_x.SQL ends in .SQL, not .sql: skipped');
    expect(ok.stdout).toContain('supabase/migrations/readme_002.sql has no version number: skipped');

    p.write('migrations/002_create_b.sql', 'create table public.b (id int);');
    p.write('migrations/002_create_c.sql', 'create table public.c (id int);');
    p.write('migrations/003_broken.sql', 'create table public.d (\n  id int,,\n);');
    p.write('migrations/004_copy.sql', 'copy public.a from stdin;');
    const refused = await caught(migrate({ cwd: p.root, ...t.options }));
    expect(refused.code).toBe('KEEL_MIGRATION_NAMES');
    for (const args of [['status'], ['migration', 'list']]) {
      const r = await cli([...args, '--cwd', p.root, ...target]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('keel db migrate would refuse these 3 files and apply nothing until they are fixed:');
      expect(r.stdout).toContain(
        'error: supabase/migrations/002_create_c.sql has the same version as supabase/migrations/002_create_b.sql',
      );
      expect(r.stdout).toContain('error: supabase/migrations/003_broken.sql:2:10: syntax error at or near ","');
      expect(r.stdout).toContain('error: supabase/migrations/004_copy.sql:1:1: COPY … FROM STDIN needs data');
      expect(r.stdout).toContain('002_x.SQL ends in .SQL');
      const j = await cli([...args, '--json', '--cwd', p.root, ...target]);
      expect(j.code).toBe(1);
      const doc = JSON.parse(j.stdout) as { ok: boolean; refused: string[]; upToDate: boolean };
      expect(doc.ok).toBe(false);
      expect(doc.upToDate).toBe(false);
      expect(doc.refused).toHaveLength(3);
    }
  });
});

describe('usage errors exit 2 with a clear message', () => {
  const p = makeProject({ 'migrations/001_create_a.sql': 'create table public.a (id int);' });

  it.each([
    [
      ['migration', 'new', 'a'.repeat(300)],
      /the migration name is too long: 308 bytes as a file name, and file names are limited to 255 bytes/,
    ],
    [['migration', 'new', 'add/teams'], /"add\/teams" is not a usable migration name: it contains a path separator/],
    [['migration', 'new', 'add\0teams'], /"add\\u0000teams" is not a usable migration name: it contains a NUL byte/],
    [['migration', 'new', ''], /the migration name is empty/],
    [['migration', 'new', '   '], /the migration name is empty/],
    [['migration', 'new', '1_teams'], /"1_teams" is not a usable migration name/],
    [['db', 'migrate', '--to', 'abc'], /--to must be a migration version \(digits\), not "abc"/],
    [['db', 'migrate', '--to', '999'], /--to 999: no migration in supabase\/migrations has that version/],
    [['gen', 'types', '--output', ''], /--output is empty/],
    [['db', 'backup', 'prune', '--keep', '-3'], /--keep must be a whole number, not "-3"/],
    [['db', 'backup', 'prune', '--keep', '1.5'], /--keep must be a whole number, not "1.5"/],
    [['db', 'backup', 'prune', '--older-than', 'soon'], /--older-than must be a number and a unit/],
  ])('keel %j', async (args, message) => {
    const r = await cli([...args, '--cwd', p.root, '--memory']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain('hint:');
    expect(r.stderr).not.toMatch(NO_STACK);
  });

  it('--to 0 is the one version without a file: nothing is applied', async () => {
    const r = await cli(['db', 'migrate', '--to', '0', '--cwd', p.root, '--memory']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 migration\(s\) applied|up to date/);
  });

  it('makes no file for a refused name, and a 250-byte name still works', async () => {
    const before = (await status({ cwd: p.root, memory: true })).migrations.length;
    await cli(['migration', 'new', 'a'.repeat(300), '--cwd', p.root]);
    expect((await status({ cwd: p.root, memory: true })).migrations.length).toBe(before);
    const r = await cli(['migration', 'new', 'a'.repeat(255 - '002_.sql'.length), '--cwd', p.root]);
    expect(r.code).toBe(0);
  });
});

describe.runIf(pgAdminUrl())('a connection the server ends, on postgres', () => {
  const targets: TestTarget[] = [];
  afterAll(async () => {
    for (const t of targets) await t.drop();
  });

  it('fails with KEEL_DB_CONNECTION_LOST mid-file, leaves the history at a file boundary, and a rerun converges', async () => {
    const t = await targetFor('postgres');
    targets.push(t);
    const p = makeProject({
      'migrations/001_create_a.sql': 'create table public.a (id int);',
      'migrations/002_slow.sql':
        'create table public.b (id int);\nselect pg_sleep(1.5) as keel_hostile_sleep;\ncreate table public.c (id int);',
      'migrations/003_create_d.sql': 'create table public.d (id int);',
    });
    const db = new URL(t.url!).pathname.slice(1);
    const admin = new pg.Client(pgAdminUrl()!);
    await admin.connect();
    let terminated = 0;
    const killer = (async () => {
      for (let i = 0; i < 100 && terminated === 0; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const res = await admin.query<{ t: boolean }>(
          `select pg_terminate_backend(pid) as t from pg_stat_activity where datname = $1 and application_name = 'keel' and query like '%keel_hostile_sleep%' and pid <> pg_backend_pid()`,
          [db],
        );
        terminated += res.rows.filter((r) => r.t).length;
      }
    })();
    const r = await cli(['db', 'migrate', '--cwd', p.root, '--db-url', t.url!]);
    await killer;
    await admin.end();
    expect(terminated).toBe(1);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^error: supabase\/migrations\/002_slow\.sql:1:1: the connection to postgres:\/\/\S+ was ended by the server: terminating connection due to administrator command/,
    );
    expect(r.stderr).toContain('hint: ');
    expect(r.stderr).not.toMatch(NO_STACK);
    expect(await versions(p, t)).toEqual(['001']);
    expect(await rows(p, t, `select tablename from pg_tables where schemaname = 'public' order by 1`)).toEqual([{ tablename: 'a' }]);
    const again = await migrate({ cwd: p.root, ...t.options });
    expect(again.migrations.map((m) => m.version)).toEqual(['002', '003']);
    expect(await versions(p, t)).toEqual(['001', '002', '003']);
  });

  it('with --json, the code is KEEL_DB_CONNECTION_LOST', async () => {
    const t = await targetFor('postgres');
    targets.push(t);
    const p = makeProject({ 'migrations/001_slow.sql': 'select pg_sleep(1.5) as keel_hostile_sleep_json;' });
    const db = new URL(t.url!).pathname.slice(1);
    const admin = new pg.Client(pgAdminUrl()!);
    await admin.connect();
    const killer = (async () => {
      for (let i = 0; i < 100; i++) {
        await new Promise((r) => setTimeout(r, 50));
        const res = await admin.query(
          `select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and query like '%keel_hostile_sleep_json%' and pid <> pg_backend_pid()`,
          [db],
        );
        if (res.rowCount) return;
      }
    })();
    const r = await cli(['db', 'migrate', '--json', '--cwd', p.root, '--db-url', t.url!]);
    await killer;
    await admin.end();
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      ok: false,
      error: { code: 'KEEL_DB_CONNECTION_LOST', sqlState: '57P01', location: { file: 'supabase/migrations/001_slow.sql' } },
    });
  });

  it('sslmode=require against a server without SSL: KEEL_DB_UNREACHABLE with the sslmode hint, no stack, no password', async () => {
    const t = await targetFor('postgres');
    targets.push(t);
    const p = makeProject({ 'migrations/001_create_a.sql': 'create table public.a (id int);' });
    const url = new URL(t.url!);
    url.password = 'Hostile-Secret-Pw';
    url.searchParams.set('sslmode', 'require');
    const r = await cli(['status', '--cwd', p.root, '--db-url', url.toString()]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('the server does not support SSL, and the URL asks for it (sslmode)');
    expect(r.stderr).toContain('hint: use sslmode=disable');
    expect(r.stderr).not.toMatch(NO_STACK);
    const j = await cli(['db', 'migrate', '--json', '--cwd', p.root, '--db-url', url.toString()]);
    expect(j.code).toBe(1);
    expect(JSON.parse(j.stdout)).toMatchObject({ ok: false, error: { code: 'KEEL_DB_UNREACHABLE' } });
    for (const out of [r.stdout, r.stderr, j.stdout, j.stderr]) expect(out).not.toContain('Hostile-Secret-Pw');
  });
});
