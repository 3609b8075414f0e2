/**
 * Migrations as the Supabase CLI runs them (issue 11, section 3): a file's own BEGIN / COMMIT / ROLLBACK, enum values
 * committed before use, `-- keel:no-transaction` files with the shim's search_path, the session reset between files,
 * the CLI's text order and the files it skips. Every case on PGlite and on the real server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError, lint, migrate, openEngine, type MigrateResult } from '../../src/index.js';
import { engineNames } from '../support/postgres.js';
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

const PATTERNS = {
  'migrations/001_create_posts.sql': `create type public.post_status as enum ('draft');
create table public.posts (id int primary key, status public.post_status not null default 'draft');`,
  // Postgres refuses a new enum value before it is committed: the file is split at the COMMIT
  'migrations/002_add_published.sql': `alter type public.post_status add value 'published';
commit;
insert into public.posts values (1, 'published');`,
  'migrations/003_two_blocks.sql': `begin;
create table public.a (id int);
commit;
begin;
create table public.b (id int);
insert into public.a values (1);
commit;`,
  'migrations/004_begin_end.sql': 'begin;\ncreate table public.c (id int);\nend;',
  'migrations/005_wrapped.sql': 'BEGIN;\ncreate table public.d (id int);\nCOMMIT;\n',
  // as in the CLI: each ROLLBACK undoes everything since the last COMMIT (a BEGIN takes the statements before it along)
  'migrations/006_rollbacks.sql': `create table public.e1 (id int);
begin;
create table public.e2 (id int);
rollback;
create table public.e3 (id int);
begin;
create table public.e4 (id int);
commit;
create table public.e5 (id int);
rollback;
create table public.e6 (id int);`,
  // Supabase's realtime recipe, at the end of a file
  'migrations/007_messages.sql': `create table public.messages (id int primary key, body text);
begin;
drop publication if exists supabase_realtime;
create publication supabase_realtime;
commit;`,
  'migrations/008_realtime_messages.sql': 'alter publication supabase_realtime add table public.messages;',
  'migrations/009_no_transaction.sql': `-- keel:no-transaction
select uuid_generate_v4();
create table public.f (id uuid primary key default uuid_generate_v4(), n int);
insert into public.f (n) values (1);
begin;
insert into public.f (n) values (2);
rollback;
begin;
insert into public.f (n) values (3);
commit;
vacuum public.f;`,
  // session state set by one file must not reach the next (the CLI sends RESET ALL between files)
  'migrations/010_session_settings.sql': `set statement_timeout = 4321;
select pg_catalog.set_config('search_path', '', false);
set role authenticated;
select 1;`,
  'migrations/011_session_seen.sql': `create table public.session_seen as
  select current_setting('statement_timeout') as timeout, current_user::text as who, session_user::text as login,
         current_setting('search_path') as path;`,
  // dbdev's pattern: a block logs in as a user (SET LOCAL role through set_config), and its END ends that, as the
  // CLI's real commit does: the statements after it run as the owner again
  'migrations/012_login_block.sql': `create table public.roles_seen (n int primary key, who text not null default current_user);
grant insert on public.roles_seen to authenticated;
begin;
select set_config('role', 'authenticated', true);
insert into public.roles_seen (n) values (1);
end;
insert into public.roles_seen (n) values (2);`,
  // a session-level role set before a block outlives its COMMIT (in the CLI as here)
  'migrations/013_session_role_block.sql': `set role authenticated;
begin;
insert into public.roles_seen (n) values (3);
commit;
insert into public.roles_seen (n) values (4);`,
};

describe.each(engineNames)('migrations as the Supabase CLI runs them, on %s', (engineName) => {
  let target: TestTarget;
  let project: TempProject;
  let result: MigrateResult;
  beforeAll(async () => {
    target = await targetFor(engineName);
    project = makeProject(PATTERNS);
    result = await migrate({ cwd: project.root, ...target.options });
  });
  afterAll(async () => {
    await target?.drop();
  });

  it('applies every file and records each with its statements as written', async () => {
    expect(result.migrations.map((m) => [m.version, m.status])).toEqual(Object.keys(PATTERNS).map((f) => [f.slice(11, 14), 'applied']));
    const history = await rows<{ version: string; statements: string[] }>(
      project,
      target,
      `select version, statements from supabase_migrations.schema_migrations order by version`,
    );
    expect(history.find((h) => h.version === '002')!.statements).toEqual([
      "alter type public.post_status add value 'published'",
      'commit',
      "insert into public.posts values (1, 'published')",
    ]);
    expect(history.find((h) => h.version === '005')!.statements).toEqual(['BEGIN', 'create table public.d (id int)', 'COMMIT']);
  });

  it('commits ALTER TYPE … ADD VALUE before the statements that use it, and says the file is not atomic', async () => {
    expect(await rows(project, target, `select status::text from public.posts`)).toEqual([{ status: 'published' }]);
    expect(result.warnings.find((w) => w.startsWith('supabase/migrations/002_add_published.sql: commits at 2:1'))).toContain(
      'a failure after that COMMIT leaves the part before it applied',
    );
    // no other file is split, or warned about
    expect(result.warnings.filter((w) => /commits at/.test(w))).toHaveLength(1);
  });

  it('runs BEGIN … COMMIT blocks, BEGIN … END and a wrapped file', async () => {
    const tables = await rows<{ t: string }>(
      project,
      target,
      `select tablename as t from pg_tables where schemaname = 'public' and tablename in ('a', 'b', 'c', 'd') order by 1`,
    );
    expect(tables.map((r) => r.t)).toEqual(['a', 'b', 'c', 'd']);
    expect(await rows(project, target, 'select count(*)::int as n from public.a')).toEqual([{ n: 1 }]);
  });

  it('undoes what a ROLLBACK undoes in the CLI: everything since the last COMMIT', async () => {
    const tables = await rows<{ t: string }>(
      project,
      target,
      `select tablename as t from pg_tables where schemaname = 'public' and tablename like 'e_' order by 1`,
    );
    expect(tables.map((r) => r.t)).toEqual(['e3', 'e4', 'e6']);
  });

  it("runs Supabase's realtime recipe (drop and create the publication) and adds a table to it", async () => {
    const pub = await rows(
      project,
      target,
      `select p.pubname, c.relname from pg_publication p join pg_publication_rel r on r.prpubid = p.oid join pg_class c on c.oid = r.prrelid`,
    );
    expect(pub).toEqual([{ pubname: 'supabase_realtime', relname: 'messages' }]);
  });

  it('gives a no-transaction file the search_path of every other file, and its own blocks', async () => {
    expect(await rows(project, target, 'select n from public.f order by n')).toEqual([{ n: 1 }, { n: 3 }]);
  });

  it("ends a block's SET LOCAL role at its END, as the CLI's commit does, and keeps a session-level role", async () => {
    const seen = await rows<{ n: number; who: string }>(project, target, 'select n, who from public.roles_seen order by n');
    const login = (await rows<{ login: string }>(project, target, 'select session_user::text as login'))[0]!.login;
    expect(seen).toEqual([
      { n: 1, who: 'authenticated' },
      { n: 2, who: login },
      { n: 3, who: 'authenticated' },
      { n: 4, who: 'authenticated' },
    ]);
  });

  it('resets the session between files: settings, search_path and role do not leak', async () => {
    const [seen] = await rows<{ timeout: string; who: string; login: string; path: string }>(
      project,
      target,
      'select * from public.session_seen',
    );
    expect(seen!.timeout).toBe('0');
    expect(seen!.who).toBe(seen!.login);
    expect(seen!.path).toBe('"$user", public, extensions');
  });
});

describe.each(engineNames)('a failing file with its own transaction control, on %s', (engineName) => {
  let target: TestTarget;
  afterAll(async () => {
    await target?.drop();
  });

  it('keeps a file with BEGIN/COMMIT blocks all-or-nothing; a split file keeps its committed part and says how to recover', async () => {
    target = await targetFor(engineName);
    const p = makeProject({
      'migrations/001_create_blocks.sql':
        'begin;\ncreate table public.t1 (id int);\ncommit;\nbegin;\ncreate table public.t2 (id int);\ncommit;\nselect 1/0;',
    });
    const atomic = await caught(migrate({ cwd: p.root, ...target.options }));
    expect(atomic.location).toEqual({ file: 'supabase/migrations/001_create_blocks.sql', line: 7, column: 1 });
    expect(await rows(p, target, `select count(*)::int as n from pg_tables where tablename in ('t1', 't2')`)).toEqual([{ n: 0 }]);

    p.write('migrations/001_create_blocks.sql', "create type public.s as enum ('a');");
    p.write('migrations/002_add_b.sql', "alter type public.s add value 'b';\ncommit;\ninsert into public.nope values ('b');");
    const split = await caught(migrate({ cwd: p.root, ...target.options }));
    expect(split.code).toBe('KEEL_SQL_FAILED');
    expect(split.location).toEqual({ file: 'supabase/migrations/002_add_b.sql', line: 3, column: 13 });
    expect(split.detail).toContain(
      'everything up to line 2 is applied and stays applied, as with the Supabase CLI, but the file is not recorded as applied',
    );
    expect(split.hint).toContain('keel migration repair 002 --status applied');
    expect(await rows(p, target, `select enum_range(null::public.s)::text as r`)).toEqual([{ r: '{a,b}' }]);
    expect(await rows(p, target, `select version from supabase_migrations.schema_migrations order by 1`)).toEqual([{ version: '001' }]);

    // the recovery the hint describes: make the committed part safe to run again
    p.write(
      'migrations/002_add_b.sql',
      "alter type public.s add value if not exists 'b';\ncommit;\ncreate table public.nope (v public.s);\ninsert into public.nope values ('b');",
    );
    const r = await migrate({ cwd: p.root, ...target.options });
    expect(r.migrations.map((m) => [m.version, m.status])).toEqual([['002', 'applied']]);
    expect(await rows(p, target, 'select v::text from public.nope')).toEqual([{ v: 'b' }]);
  });
});

describe.each(engineNames)("the Supabase CLI's order and skipped files, on %s", (engineName) => {
  let target: TestTarget;
  afterAll(async () => {
    await target?.drop();
  });

  it('applies versions in text order by default, skipping what the CLI skips with one warning naming each', async () => {
    target = await targetFor(engineName);
    const p = makeProject({
      // only text order works: 10_ creates the table that 9_ alters
      'migrations/10_create_items.sql': 'create table public.items (id int);',
      'migrations/9_add_items_name.sql': 'alter table public.items add column name text;',
      'migrations/local_20240101000000_scratch.sql': 'select 1/0;',
      'migrations/seed.sql': 'select 1/0;',
      'migrations/atlas.sum': 'h1:abc=',
      'migrations/README.md': '# migrations',
      'migrations/archive/001_old.sql': 'select 1/0;',
    });
    const r = await migrate({ cwd: p.root, ...target.options });
    expect(r.migrations.map((m) => m.version)).toEqual(['10', '9']);
    expect(
      await rows(
        p,
        target,
        `select count(*)::int as n from information_schema.columns where table_name = 'items' and column_name = 'name'`,
      ),
    ).toEqual([{ n: 1 }]);
    const skipped = r.warnings.filter((w) => w.startsWith('skipped '));
    expect(skipped).toHaveLength(1);
    for (const f of ['local_20240101000000_scratch.sql', 'seed.sql', 'atlas.sum', 'README.md', 'archive is a folder'])
      expect(skipped[0]).toContain(`supabase/migrations/${f}`);
    expect(r.warnings.filter((w) => w.includes('[migration-version-width]'))).toEqual([
      'migration versions have different widths (1, 2 digits; not 2: 9_add_items_name.sql): they run in text order, as the Supabase CLI applies them (`[migrations] order = "numeric"` in keel.toml compares them as numbers; only for a project no database was built from in the CLI\'s order); numeric order would run 9_add_items_name.sql before 10_create_items.sql [migration-version-width]',
    ]);
  });

  it('applies versions as numbers with [migrations] order = "numeric"', async () => {
    await target.drop();
    target = await targetFor(engineName);
    const p = makeProject({
      'keel.toml': '[migrations]\norder = "numeric"\n',
      'migrations/9_create_items.sql': 'create table public.items (id int);',
      'migrations/10_add_items_name.sql': 'alter table public.items add column name text;',
    });
    const r = await migrate({ cwd: p.root, ...target.options });
    expect(r.migrations.map((m) => m.version)).toEqual(['9', '10']);
    expect(r.warnings.find((w) => w.includes('[migration-version-width]'))).toContain('they run as numbers');
    const again = await migrate({ cwd: p.root, ...target.options });
    expect(again.migrations).toEqual([]);
  });
});

describe('keel lint and the files the CLI skips', () => {
  it('reports each skipped file as a migration_file_naming warning', async () => {
    const p = makeProject({
      'migrations/001_create_items.sql':
        'create table public.items (id uuid primary key default gen_random_uuid(), created_at timestamptz not null default now(), updated_at timestamptz not null default now());',
      'migrations/local_20240101000000_scratch.sql': 'select 1/0;',
      'migrations/atlas.sum': 'h1:abc=',
    });
    const r = await lint({ cwd: p.root, rules: ['migration_file_naming'] });
    expect(r.findings.map((f) => `${f.level} ${f.object}`).sort()).toEqual([
      'warn supabase/migrations/atlas.sum',
      'warn supabase/migrations/local_20240101000000_scratch.sql',
    ]);
  });
});
