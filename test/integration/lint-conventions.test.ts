/**
 * The seed convention rules, on one fixture with each convention kept and broken side by side, on both engines; and
 * seed 000's migration file naming on a temporary project.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listMigrations } from '../../src/core/project/files.js';
import { openProject } from '../../src/core/project/layout.js';
import { conventionRules } from '../../src/features/lint/conventions/index.js';
import type { Finding } from '../../src/features/lint/finding.js';
import { openFixtureDb, type FixtureDb } from '../support/fixture-db.js';
import { engineNames } from '../support/postgres.js';
import { makeProject } from '../support/projects.js';

const FIXTURE = String.raw`
create function public.update_updated_at_column() returns trigger language plpgsql as $$
begin
  new.updated_at := now();
  return new;
end $$;
create function public.mark_edited() returns trigger language plpgsql as $$
begin
  new.edited := true;
  return new;
end $$;

-- Keeps every convention: uuid key, timestamptz created_at/updated_at, the trigger, live-rows-only select policy.
create table public.users (
  id uuid primary key default gen_random_uuid(),
  email text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);
create trigger users_updated_at before update on public.users for each row execute function public.update_updated_at_column();
alter table public.users enable row level security;
create policy users_read_live on public.users for select to authenticated using (deleted_at is null and id = (select auth.uid()));
create policy users_service on public.users for all to service_role using (true);

-- Breaks them: serial key, no created_at/updated_at, a camelCase column, a singular name.
create table public.invoice (id bigserial primary key, "createdAt" timestamptz default now(), note text);

-- Quoted CamelCase name, composite key with a text column, created_at without time zone, updated_at without trigger.
create table public."TeamMembers" (
  team_id uuid not null,
  role text not null,
  created_at timestamp default now(),
  updated_at timestamptz default now(),
  primary key (team_id, role)
);

-- Soft delete: one select policy hides deleted rows, two do not; the BEFORE UPDATE trigger never sets updated_at.
create table public.projects (
  id uuid primary key default gen_random_uuid(),
  owner_id uuid,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);
create trigger projects_mark_edited before update on public.projects for each row execute function public.mark_edited();
alter table public.projects enable row level security;
create policy projects_read_own on public.projects for select to authenticated using (owner_id = (select auth.uid()));
create policy projects_read_live_or_own on public.projects for select to authenticated
  using (deleted_at is null or owner_id = (select auth.uid()));
create policy projects_read_live on public.projects for select to authenticated
  using (deleted_at is null and owner_id = (select auth.uid()));

-- Soft delete covered by one restrictive policy; trigger on insert or update; a plural-by-last-word junction name.
create table public.team_members (
  id uuid primary key default gen_random_uuid(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  deleted_at timestamptz
);
create trigger team_members_updated_at before insert or update on public.team_members
  for each row execute function public.update_updated_at_column();
alter table public.team_members enable row level security;
create policy team_members_read on public.team_members for select to authenticated using (true);
create policy team_members_hide_deleted on public.team_members as restrictive for select to authenticated using (deleted_at is null);

-- Not exposed: never checked.
create schema private;
create table private.thing (id serial primary key, "Name" text);
`;

describe.each(engineNames)('convention lint rules on %s', (kind) => {
  let fx: FixtureDb;
  let findings: Finding[];

  beforeAll(async () => {
    fx = await openFixtureDb(kind, FIXTURE, { prefix: 'lint_conv' });
    findings = conventionRules.check({ catalog: fx.catalog, exposedSchemas: ['public'] });
  });

  afterAll(async () => {
    await fx?.close();
  });

  const of = (rule: string) => findings.filter((f) => f.rule === rule);
  const objects = (rule: string) =>
    of(rule)
      .map((f) => `${f.level} ${f.object}`)
      .sort();

  it('marks every rule as a convention', () => {
    expect(conventionRules.rules.every((r) => r.convention === true && r.category === 'convention')).toBe(true);
    expect(conventionRules.rules.map((r) => r.id)).toEqual([
      'uuid_primary_key',
      'timestamp_columns',
      'updated_at_trigger',
      'soft_delete_select_policy',
      'snake_case_names',
      'plural_table_names',
      'migration_file_naming',
    ]);
  });

  it('uuid_primary_key: a serial key warns, a composite key with a text column is info', () => {
    expect(objects('uuid_primary_key')).toEqual(['info public.TeamMembers', 'warn public.invoice']);
    expect(of('uuid_primary_key').find((f) => f.object === 'public.invoice')!.message).toContain('is id bigint, not uuid');
  });

  it('timestamp_columns: missing created_at / updated_at, and timestamp without time zone', () => {
    expect(objects('timestamp_columns')).toEqual(['warn public.TeamMembers.created_at', 'warn public.invoice', 'warn public.invoice']);
    expect(
      of('timestamp_columns')
        .filter((f) => f.object === 'public.invoice')
        .map((f) => f.message)
        .sort(),
    ).toEqual([
      'public.invoice has no created_at column (every table has created_at and updated_at)',
      'public.invoice has no updated_at column (every table has created_at and updated_at)',
    ]);
    expect(of('timestamp_columns').find((f) => f.objectKind === 'column')!.message).toBe(
      'public.TeamMembers.created_at is timestamp without time zone, not timestamptz',
    );
  });

  it('updated_at_trigger: no trigger, or a trigger that never sets new.updated_at', () => {
    expect(objects('updated_at_trigger')).toEqual(['warn public.TeamMembers', 'warn public.projects']);
    expect(of('updated_at_trigger').find((f) => f.object === 'public.projects')!.message).toContain(
      'projects_mark_edited (public.mark_edited) never sets new.updated_at',
    );
  });

  it('soft_delete_select_policy: every permissive select path must require deleted_at IS NULL (or a restrictive policy does)', () => {
    expect(objects('soft_delete_select_policy')).toEqual([
      'warn public.projects.projects_read_live_or_own',
      'warn public.projects.projects_read_own',
    ]);
    expect(of('soft_delete_select_policy')[0]!.source).toMatchObject({ kind: 'policy', schema: 'public', table: 'projects' });
  });

  it('snake_case_names and plural_table_names: tables and columns in exposed schemas only', () => {
    expect(objects('snake_case_names')).toEqual(['warn public.TeamMembers', 'warn public.invoice.createdAt']);
    expect(of('snake_case_names').find((f) => f.object === 'public.TeamMembers')!.remediation).toBe(
      'alter table public."TeamMembers" rename to team_members;',
    );
    expect(objects('plural_table_names')).toEqual(['info public.invoice']);
    expect(of('plural_table_names')[0]!.remediation).toContain('rename to invoices');
  });

  it('never reports private, auth or extensions objects, and no migration names without project files', () => {
    expect(findings.filter((f) => !f.object.startsWith('public.'))).toEqual([]);
  });
});

describe('migration_file_naming', () => {
  it("reports seed 000's naming problems at their level, located at the file", () => {
    const project = makeProject({
      'migrations/001_create_users_table.sql': 'select 1;',
      'migrations/002_fix_stuff.sql': 'select 1;',
      'migrations/003_Add_Teams.sql': 'select 1;',
      'migrations/update_db.sql': 'select 1;',
    });
    const nameProblems = listMigrations(openProject(project.root), { lenient: true }).problems;
    const findings = conventionRules
      .check({
        catalog: {
          schemas: [],
          extensions: [],
          enums: [],
          domains: [],
          composites: [],
          tables: [],
          views: [],
          materializedViews: [],
          sequences: [],
          functions: [],
          triggers: [],
          policies: [],
        },
        exposedSchemas: ['public'],
        sql: { migrations: [], roles: [], policies: [], seeds: [], warnings: [], nameProblems },
      })
      .filter((f) => f.rule === 'migration_file_naming');
    // update_db.sql is skipped by `db migrate` as the Supabase CLI skips it, so lint warns (projects keep scratch
    // files such as local_….sql there on purpose).
    expect(findings.map((f) => `${f.level} ${f.object} ${f.objectKind}`).sort()).toEqual([
      'warn supabase/migrations/002_fix_stuff.sql migration',
      'warn supabase/migrations/003_Add_Teams.sql migration',
      'warn supabase/migrations/update_db.sql migration',
    ]);
    for (const f of findings) expect(f.location).toEqual({ file: f.object, line: 1, column: 1 });
    expect(findings.find((f) => f.object.endsWith('update_db.sql'))!.message).toContain('has no version number');
    expect(findings.find((f) => f.object.endsWith('002_fix_stuff.sql'))!.message).toContain('[migration-name-vague]');
  });
});
