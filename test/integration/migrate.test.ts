import { afterEach, describe, expect, it } from 'vitest';
import { KeelError, migrate, openEngine, repair, reset, seed, status } from '../../src/index.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget } from '../support/projects.js';

const THREE_FILES = {
  'migrations/001_create_teams.sql': `-- Description: teams
create extension if not exists "uuid-ossp";
create table public.teams (
  id uuid primary key default uuid_generate_v4(),
  name text not null,
  created_at timestamptz default now()
);`,
  'migrations/002_create_members.sql': `create table public.team_members (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams(id) on delete cascade,
  user_id uuid not null references auth.users(id)
);
create index team_members_team_id_idx on public.team_members(team_id);`,
  'migrations/003_add_team_slug.sql': `alter table public.teams add column slug text;
create unique index teams_slug_key on public.teams(slug);`,
  'policies/teams_rls.sql': `alter table public.teams enable row level security;
drop policy if exists "members read teams" on public.teams;
create policy "members read teams" on public.teams for select
  using (exists (select 1 from public.team_members m where m.team_id = teams.id and m.user_id = (select auth.uid())));`,
  'seed/001_teams.sql': `insert into auth.users (id, email) values ('00000000-0000-0000-0000-000000000001', 'owner@example.com');
insert into public.teams (id, name, slug) values ('10000000-0000-0000-0000-000000000001', 'Core', 'core');
insert into public.team_members (team_id, user_id) values ('10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001');`,
};

async function count(cwd: string, t: TestTarget, sql: string): Promise<number> {
  const engine = await openEngine(t.url ? { kind: 'postgres', url: t.url } : { kind: 'pglite', dataDir: `${cwd}/supabase/.keel/pglite` });
  try {
    const { rows } = await engine.query<{ n: number }>(`select (${sql})::int as n`);
    return rows[0]!.n;
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

describe.each(engineNames)('migrations on %s', (engineName) => {
  let target: TestTarget;
  afterEach(async () => {
    await target?.drop();
  });

  it('applies a 3-file project in order, then roles and policies, and records history', async () => {
    target = await targetFor(engineName);
    const p = makeProject(THREE_FILES);
    const r = await migrate({ cwd: p.root, ...target.options });
    expect(r.migrations.map((m) => [m.version, m.status])).toEqual([
      ['001', 'applied'],
      ['002', 'applied'],
      ['003', 'applied'],
    ]);
    expect(r.policies.map((x) => x.file)).toEqual(['supabase/policies/teams_rls.sql']);
    const s = await status({ cwd: p.root, ...target.options });
    expect(s).toMatchObject({ applied: 3, pending: 0, upToDate: true, engine: engineName });
    expect(await count(p.root, target, `select count(*) from pg_policies where tablename = 'teams'`)).toBe(1);
    expect(
      await count(
        p.root,
        target,
        `select count(*) from supabase_migrations.schema_migrations where name is not null and array_length(statements, 1) > 0`,
      ),
    ).toBe(3);
    expect(await count(p.root, target, `select count(*) from supabase_migrations.keel_migrations where length(sha256) = 64`)).toBe(3);
    // A second run applies nothing and still succeeds.
    const again = await migrate({ cwd: p.root, ...target.options });
    expect(again.migrations).toEqual([]);
  });

  it('skips a policy file that is unchanged with its policies as it left them, and runs it again once they differ', async () => {
    target = await targetFor(engineName);
    const p = makeProject(THREE_FILES);
    await migrate({ cwd: p.root, ...target.options });
    const again = await migrate({ cwd: p.root, ...target.options });
    expect(again.policies.map((x) => x.status)).toEqual(['unchanged']);

    // A migration that drops the policy: the file's target no longer matches what it left, so it runs again.
    p.write('migrations/004_drop_policy.sql', 'drop policy "members read teams" on public.teams;');
    const dropped = await migrate({ cwd: p.root, ...target.options });
    expect(dropped.policies.map((x) => x.status)).toEqual(['applied']);
    expect(await count(p.root, target, `select count(*) from pg_policies where tablename = 'teams'`)).toBe(1);

    // An edited file runs again; a file Keel cannot check (a DO block) runs every time.
    p.write('policies/teams_rls.sql', `${THREE_FILES['policies/teams_rls.sql']}\n-- edited`);
    p.write('policies/zz_other.sql', 'do $$ begin perform 1; end $$;');
    const edited = await migrate({ cwd: p.root, ...target.options });
    expect(edited.policies.map((x) => [x.file, x.status])).toEqual([
      ['supabase/policies/teams_rls.sql', 'applied'],
      ['supabase/policies/zz_other.sql', 'applied'],
    ]);
    const steady = await migrate({ cwd: p.root, ...target.options });
    expect(steady.policies.map((x) => x.status)).toEqual(['unchanged', 'applied']);
  });

  it('after a migrate (its files known from its load), a broken new file still stops everything; a file on a table another file changed runs again', async () => {
    target = await targetFor(engineName);
    const p = makeProject({
      ...THREE_FILES,
      'policies/teams_more_rls.sql': `drop policy if exists "members see teams" on public.teams;
create policy "members see teams" on public.teams for select to authenticated using (true);`,
    });
    await migrate({ cwd: p.root, ...target.options });
    // The applied files are known from the last load; the new ones are parsed, and one syntax error applies nothing.
    p.write('migrations/004_create_projects.sql', 'create table public.projects (id bigint primary key);');
    p.write('migrations/005_broken.sql', 'create table public.broken (id bigint primary key;');
    const err = await caught(migrate({ cwd: p.root, ...target.options }));
    expect(err.code).toBe('KEEL_SQL_SYNTAX');
    expect(err.location).toMatchObject({ file: 'supabase/migrations/005_broken.sql', line: 1 });
    expect((await status({ cwd: p.root, ...target.options })).pending).toBe(2);
    expect(await count(p.root, target, `select count(*) from pg_tables where tablename = 'projects'`)).toBe(0);

    // teams_more_rls.sql edited: it runs, which changes public.teams' policies, so teams_rls.sql (same table) runs too.
    p.remove('migrations/005_broken.sql');
    p.write('policies/teams_more_rls.sql', 'drop policy if exists "members see teams" on public.teams;');
    const edited = await migrate({ cwd: p.root, ...target.options });
    expect(edited.migrations.map((m) => [m.version, m.status])).toEqual([['004', 'applied']]);
    expect(edited.policies.map((x) => x.status)).toEqual(['applied', 'applied']);
    const steady = await migrate({ cwd: p.root, ...target.options });
    expect(steady.policies.map((x) => [x.file, x.status, x.statements])).toEqual([
      ['supabase/policies/teams_more_rls.sql', 'unchanged', 1],
      ['supabase/policies/teams_rls.sql', 'unchanged', 3],
    ]);
  });

  it('reports a syntax error with file:line:col and applies nothing', async () => {
    target = await targetFor(engineName);
    const p = makeProject({
      ...THREE_FILES,
      'migrations/003_add_team_slug.sql': `alter table public.teams add column slug text;\n\ncreate index teams_slug_idx on public.teams(slug;\n`,
    });
    const err = await caught(migrate({ cwd: p.root, ...target.options }));
    expect(err.code).toBe('KEEL_SQL_SYNTAX');
    expect(err.location).toEqual({ file: 'supabase/migrations/003_add_team_slug.sql', line: 3, column: 49 });
    expect(err.excerpt).toContain('3 | create index teams_slug_idx on public.teams(slug;');
    const s = await status({ cwd: p.root, ...target.options });
    expect(s.applied).toBe(0);
    expect(await count(p.root, target, `select count(*) from pg_tables where schemaname = 'public'`)).toBe(0);
  });

  it('rolls back a failing file with its history row, reports SQLSTATE and position, and runs no later file', async () => {
    target = await targetFor(engineName);
    const p = makeProject({
      ...THREE_FILES,
      'migrations/002_create_members.sql': `create table public.team_members (id uuid primary key);\ninsert into public.team_members (id) values ('not-a-uuid');\n`,
    });
    const err = await caught(migrate({ cwd: p.root, ...target.options }));
    expect(err.code).toBe('KEEL_SQL_FAILED');
    expect(err.sqlState).toBe('22P02');
    expect(err.location).toMatchObject({ file: 'supabase/migrations/002_create_members.sql', line: 2 });
    expect(err.location!.column).toBe(46); // the quote of the bad literal
    const s = await status({ cwd: p.root, ...target.options });
    expect(s.migrations.map((m) => [m.version, m.state])).toEqual([
      ['001', 'applied'],
      ['002', 'pending'],
      ['003', 'pending'],
    ]);
    expect(await count(p.root, target, `select count(*) from pg_tables where tablename = 'team_members'`)).toBe(0);
  });

  it('stops on an applied file that was edited, naming it, and repair fixes the history', async () => {
    target = await targetFor(engineName);
    const p = makeProject(THREE_FILES);
    await migrate({ cwd: p.root, ...target.options });
    p.write('migrations/002_create_members.sql', `${THREE_FILES['migrations/002_create_members.sql']}\n-- edited later\n`);
    p.write('migrations/004_add_team_color.sql', 'alter table public.teams add column color text;');
    const err = await caught(migrate({ cwd: p.root, ...target.options }));
    expect(err.code).toBe('KEEL_MIGRATION_DRIFT');
    expect(err.problems!.join('\n')).toContain('supabase/migrations/002_create_members.sql was edited');
    const s = await status({ cwd: p.root, ...target.options });
    expect(s.changed).toEqual(['002']);
    expect(await count(p.root, target, `select count(*) from information_schema.columns where column_name = 'color'`)).toBe(0);
    await repair(['002'], { cwd: p.root, ...target.options, status: 'applied' });
    const r = await migrate({ cwd: p.root, ...target.options });
    expect(r.migrations.map((m) => m.version)).toEqual(['004']);
  });

  it('stops when an applied version has no local file, and reports versions newer than local', async () => {
    target = await targetFor(engineName);
    const p = makeProject(THREE_FILES);
    await migrate({ cwd: p.root, ...target.options });
    p.remove('migrations/003_add_team_slug.sql');
    const s = await status({ cwd: p.root, ...target.options });
    expect(s.missing).toEqual(['003']);
    expect(s.newerInDb).toEqual(['003']);
    const err = await caught(migrate({ cwd: p.root, ...target.options }));
    expect(err.code).toBe('KEEL_MIGRATION_DRIFT');
    expect(err.problems!.join('\n')).toContain('version 003 (add_team_slug) is applied in the database but has no local file');
    await repair(['003'], { cwd: p.root, ...target.options, status: 'reverted' });
    expect((await status({ cwd: p.root, ...target.options })).upToDate).toBe(true);
  });

  it('--to stops early and --dry-run changes nothing', async () => {
    target = await targetFor(engineName);
    const p = makeProject(THREE_FILES);
    const dry = await migrate({ cwd: p.root, ...target.options, dryRun: true });
    expect(dry.migrations.map((m) => m.status)).toEqual(['would-apply', 'would-apply', 'would-apply']);
    expect((await status({ cwd: p.root, ...target.options })).applied).toBe(0);
    const r = await migrate({ cwd: p.root, ...target.options, to: '2' });
    expect(r.migrations.map((m) => m.version)).toEqual(['001', '002']);
  });

  it('reset drops and rebuilds everything, seeds, and gives the same result twice', async () => {
    target = await targetFor(engineName);
    const p = makeProject(THREE_FILES);
    const first = await reset({ cwd: p.root, ...target.options, yes: true });
    expect(first.seeds.map((s) => s.status)).toEqual(['applied']);
    // Data added by hand disappears on the next reset; the seed rows come back exactly once.
    await migrate({ cwd: p.root, ...target.options });
    const second = await reset({ cwd: p.root, ...target.options, yes: true });
    // the previous database was replaced whole (a fresh data dir, or a new database renamed into place)
    expect(second).toMatchObject({ replaced: true, mode: engineName === 'pglite' ? 'data-dir' : 'new-database' });
    expect(await count(p.root, target, 'select count(*) from public.teams')).toBe(1);
    expect(await count(p.root, target, 'select count(*) from auth.users')).toBe(1);
    expect((await status({ cwd: p.root, ...target.options })).applied).toBe(3);
  });

  it('reset is one transaction: a failing seed leaves the previous database as it was', async () => {
    target = await targetFor(engineName);
    const p = makeProject(THREE_FILES);
    await reset({ cwd: p.root, ...target.options, yes: true });
    p.write('migrations/004_add_team_color.sql', 'alter table public.teams add column color text;');
    p.write('seed/002_broken.sql', 'insert into public.teams (name) values (null);');
    const err = await caught(reset({ cwd: p.root, ...target.options, yes: true }));
    expect(err.sqlState).toBe('23502');
    expect(err.location?.file).toBe('supabase/seed/002_broken.sql');
    const s = await status({ cwd: p.root, ...target.options });
    expect(s.migrations.map((m) => [m.version, m.state])).toEqual([
      ['001', 'applied'],
      ['002', 'applied'],
      ['003', 'applied'],
      ['004', 'pending'],
    ]);
    expect(await count(p.root, target, 'select count(*) from public.teams')).toBe(1);
  });

  it('seed skips unchanged files and re-runs them with force', async () => {
    target = await targetFor(engineName);
    const p = makeProject({ ...THREE_FILES, 'seed/002_more.sql': `insert into public.teams (name) values ('Extra');` });
    await reset({ cwd: p.root, ...target.options, yes: true, noSeed: true });
    const a = await seed({ cwd: p.root, ...target.options });
    expect(a.seeds.map((s) => s.status)).toEqual(['applied', 'applied']);
    const b = await seed({ cwd: p.root, ...target.options });
    expect(b.seeds.map((s) => s.status)).toEqual(['unchanged', 'unchanged']);
    p.write('seed/002_more.sql', `insert into public.teams (name) values ('Extra 2');`);
    const c = await seed({ cwd: p.root, ...target.options });
    expect(c.seeds.map((s) => s.status)).toEqual(['unchanged', 'applied']);
    expect(await count(p.root, target, 'select count(*) from public.teams')).toBe(3);
  });

  it('accepts BEGIN/COMMIT inside a file as the Supabase CLI does, and runs no-transaction files', async () => {
    target = await targetFor(engineName);
    const p = makeProject({
      'migrations/001_create_a.sql': 'begin;\ncreate table public.a (id int);\ncommit;\n',
      'migrations/002_create_b.sql': 'create table public.b (id int);\ncommit;\ncreate table public.c (id int);\n',
      'migrations/003_create_d.sql': '-- keel:no-transaction\ncreate table public.d (id int);\n',
    });
    const r = await migrate({ cwd: p.root, ...target.options });
    expect(r.migrations.map((m) => m.status)).toEqual(['applied', 'applied', 'applied']);
    expect(
      await count(p.root, target, `select count(*) from pg_tables where schemaname = 'public' and tablename in ('a', 'b', 'c', 'd')`),
    ).toBe(4);
  });

  it('warns about an empty migration file and still records it', async () => {
    target = await targetFor(engineName);
    const p = makeProject({ ...THREE_FILES, 'migrations/004_add_nothing_yet.sql': '-- TODO: write this\n' });
    const r = await migrate({ cwd: p.root, ...target.options });
    expect(r.warnings).toContain('supabase/migrations/004_add_nothing_yet.sql is empty (no SQL statements); it is recorded as applied');
    expect(r.migrations.map((m) => m.version)).toEqual(['001', '002', '003', '004']);
  });

  it('creates the contrib extensions Supabase projects use (pg_trgm with pgcrypto, citext) and they work', async () => {
    target = await targetFor(engineName);
    const p = makeProject({
      'migrations/001_create_extensions.sql': `create extension if not exists "uuid-ossp";
create extension if not exists pgcrypto;
create extension if not exists citext;
create extension if not exists pg_trgm;`,
      'migrations/002_create_people.sql': `create table public.people (id uuid primary key default uuid_generate_v4(), email citext unique, name text,
  secret bytea default extensions.pgp_sym_encrypt('x', 'k'));
create index people_name_trgm on public.people using gin (name gin_trgm_ops);
insert into public.people (email, name) values ('Ada@Example.com', 'Ada Lovelace'), ('grace@example.com', 'Grace Hopper');`,
    });
    await migrate({ cwd: p.root, ...target.options });
    expect(await count(p.root, target, `select count(*) from public.people where email = 'ADA@example.COM'`)).toBe(1);
    expect(await count(p.root, target, `select count(*) from public.people where name % 'Ada Lovelase'`)).toBe(1);
    expect(await count(p.root, target, `select count(*) from public.people where extensions.pgp_sym_decrypt(secret, 'k') = 'x'`)).toBe(2);
  });

  it('runs a Supabase CLI project as it is (timestamp names, config.toml seed paths, supabase/seed.sql)', async () => {
    target = await targetFor(engineName);
    const p = makeProject({
      'config.toml': 'project_id = "app"\n[db.seed]\nenabled = true\nsql_paths = ["./seed.sql"]\n',
      'migrations/20240101000000_create_profiles.sql': `create table public.profiles (id uuid primary key references auth.users (id) on delete cascade, name text);
alter table public.profiles enable row level security;
create policy "own profile" on public.profiles for select using ((select auth.uid()) = id);`,
      'migrations/20240102000000_add_profiles_bio.sql': 'alter table public.profiles add column bio text;',
      'seed.sql': `insert into auth.users (id, email) values ('00000000-0000-0000-0000-000000000001', 'a@example.com');
insert into public.profiles (id, name) values ('00000000-0000-0000-0000-000000000001', 'Ada');`,
      'seed/999_ignored.sql': 'select 1/0;',
    });
    const r = await reset({ cwd: p.root, ...target.options, yes: true });
    expect(r.migrations.map((m) => m.version)).toEqual(['20240101000000', '20240102000000']);
    expect(r.seeds.map((f) => f.file)).toEqual(['supabase/seed.sql']);
    expect(await count(p.root, target, 'select count(*) from public.profiles')).toBe(1);
  });

  it("applies policies/ files that define functions first (seed 000's shared_rls_functions.sql)", async () => {
    target = await targetFor(engineName);
    const p = makeProject({
      'migrations/001_create_notes.sql': 'create table public.notes (id int primary key, owner uuid);',
      'policies/notes_rls.sql': `alter table public.notes enable row level security;
drop policy if exists "admins read notes" on public.notes;
create policy "admins read notes" on public.notes for select using (public.is_admin());`,
      'policies/shared_rls_functions.sql': `create or replace function public.is_admin() returns boolean
language sql stable security definer set search_path = '' as $$ select coalesce((auth.jwt() ->> 'role') = 'admin', false) $$;`,
    });
    const r = await migrate({ cwd: p.root, ...target.options });
    expect(r.policies.map((f) => f.file)).toEqual(['supabase/policies/shared_rls_functions.sql', 'supabase/policies/notes_rls.sql']);
  });
});
