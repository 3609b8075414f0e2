/**
 * The rules that read inside SQL, on one fixture that plants each rule's failing case next to its passing case, on
 * both engines: the catalog each engine deparses is what the rules read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/features/lint/finding.js';
import { sqlRules } from '../../src/features/lint/sql-rules/index.js';
import { runAdvisors, type AdvisorResult } from '../support/advisors.js';
import { openFixtureDb, type FixtureDb } from '../support/fixture-db.js';
import { engineNames, pgAdminUrl } from '../support/postgres.js';
import { makeProject } from '../support/projects.js';
import { openSupabaseCli, supabaseCliRequired, type SupabaseCli } from '../support/supabase-cli.js';

const cli = await openSupabaseCli();
const splinterRunnable = pgAdminUrl() !== null && (cli !== undefined || supabaseCliRequired());
afterAll(async () => {
  await cli?.dispose();
});

/** The splinter rules these SQL-reading rules share a name with. */
const SHARED = ['rls_policy_always_true', 'auth_rls_initplan', 'rls_references_user_metadata'];

/** `rule schema.table.policy` that splinter reports and Keel, rightly, does not. */
const SPLINTER_ONLY: Record<string, string> = {
  'rls_policy_always_true public.teams.teams_insert_nocheck':
    'an insert policy with no WITH CHECK; splinter counts the missing check as always true, but Postgres admits no row through it (checked on both engines: the insert fails with "new row violates row-level security policy")',
};

/** `rule schema.table.policy` that Keel reports and splinter, matching text, does not. */
const KEEL_ONLY: Record<string, string> = {
  'rls_policy_always_true public.teams.teams_delete_selfcmp':
    'owner_id = owner_id is true for every row where owner_id is set; splinter only knows the texts true and 1=1',
  'rls_policy_always_true public.teams.teams_insert_1eq1': '(1 = 1) OR … is true; splinter compares the whole expression with true / 1=1',
  'rls_policy_always_true public.teams.teams_read_all': 'select-only, reported at info; splinter leaves select policies out',
  'rls_policy_always_true public.teams.teams_read_members_bug':
    "team_id = team_id inside the EXISTS (seed 000's bug in policy form); splinter matches whole-expression text only",
};

/** A splinter result as `rule schema.table.policy` (policy from metadata, else from the detail text). */
function splinterKey(r: AdvisorResult): string {
  const m = r.metadata;
  const policy = typeof m.policy_name === 'string' ? m.policy_name : (/policy `([^`]+)`/.exec(r.detail)?.[1] ?? '?');
  const table = typeof m.name === 'string' ? m.name : '?';
  return `${r.name} ${typeof m.schema === 'string' ? m.schema : '?'}.${table.includes('.') ? table.split('.').at(-1) : table}.${policy}`;
}

const FIXTURE = String.raw`
create table public.teams (id uuid primary key default gen_random_uuid(), name text not null, owner_id uuid);
create table public.team_members (
  id uuid primary key default gen_random_uuid(),
  team_id uuid not null references public.teams (id),
  user_id uuid not null,
  role text not null default 'member'
);
alter table public.teams enable row level security;
alter table public.team_members enable row level security;
create table public.audit (id bigint primary key, note text); -- no RLS

-- Seed 000's helper, exactly as the guide writes it: team_id = team_id compares the column with itself.
create or replace function is_team_member(team_id uuid)
returns boolean as $$
  select exists (
    select 1 from public.team_members
    where user_id = auth.uid() and team_id = team_id
  );
$$ language sql security definer;

-- The fixed version (same argument types, so in its own schema).
create schema fixed;
create or replace function fixed.is_team_member(p_team_id uuid)
returns boolean language sql stable security definer set search_path = '' as $$
  select exists (
    select 1 from public.team_members
    where user_id = auth.uid() and team_id = p_team_id
  );
$$;

-- The same bug in a SQL-standard body: bound to the column when the function is created.
create function public.is_member_atomic(team_id uuid) returns boolean language sql
begin atomic
  select exists (select 1 from public.team_members where team_id = team_id);
end;

-- PL/pgSQL: an ambiguous reference at run time (warn), unless #variable_conflict says which wins.
create function public.count_members(team_id uuid) returns integer language plpgsql as $$
declare n integer;
begin
  select count(*) into n from public.team_members where team_members.team_id = team_id;
  return n;
end $$;
create function public.count_members_ok(p_team_id uuid) returns integer language plpgsql as $$
declare n integer;
begin
  select count(*) into n from public.team_members where team_id = p_team_id;
  return n;
end $$;
create function public.count_members_use_column(team_id uuid) returns integer language plpgsql as $$
#variable_conflict use_column
declare n integer;
begin
  select count(*) into n from public.team_members m where m.team_id = team_id;
  return n;
end $$;
create function public.count_members_use_variable(team_id uuid) returns integer language plpgsql as $$
#variable_conflict use_variable
declare n integer;
begin
  select count(*) into n from public.team_members m where m.team_id = team_id;
  return n;
end $$;
-- RETURNS TABLE columns are PL/pgSQL variables too.
create function public.my_teams() returns table (id uuid, label text) language plpgsql stable as $$
begin
  return query select id, teams.name from public.teams;
end $$;
create function public.my_teams_ok() returns table (id uuid, label text) language plpgsql stable as $$
begin
  return query select t.id, t.name from public.teams t;
end $$;

-- security definer: which tables it reads, and whether its search_path is pinned.
create function public.team_owner(p_team uuid) returns uuid language sql stable security definer set search_path = public as $$
  select owner_id from teams where id = p_team
$$;
create function public.rename_team(p_team uuid, p_name text) returns void language plpgsql security definer as $$
begin
  update public.teams set name = p_name where id = p_team;
end $$;
create function public.audit_note(p_id bigint) returns text language sql stable security definer as $$
  select note from public.audit where id = p_id
$$;

-- Policies on teams: constant-true ones for writes (warn), for select (info), and ones that are fine.
create policy teams_update_open on public.teams for update to authenticated using (true) with check (true);
create policy teams_delete_selfcmp on public.teams for delete to authenticated using (owner_id = owner_id);
create policy teams_insert_1eq1 on public.teams for insert to authenticated with check (1 = 1 or owner_id = auth.uid());
create policy teams_read_all on public.teams for select using (true);
create policy teams_service on public.teams for all to service_role using (true);
create policy teams_restrictive_true on public.teams as restrictive for update to authenticated using (true);
-- No WITH CHECK at all: Postgres lets this policy admit no row (unlike splinter, not "always true").
create policy teams_insert_nocheck on public.teams for insert to authenticated;
-- On a table without RLS the policy does nothing (policy_exists_rls_disabled reports that).
create policy audit_open on public.audit for update using (true);
create policy audit_own on public.audit for select using (note = auth.email());
create policy teams_owner_update on public.teams for update to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));

-- Policies on team_members: per-row auth calls, user_metadata.
-- Seed 000's bug in policy form: team_id inside the EXISTS binds to m.team_id, so any membership passes.
create policy teams_read_members_bug on public.teams for select to authenticated
  using (exists (select 1 from public.team_members m where m.user_id = (select auth.uid()) and team_id = team_id));
create policy teams_read_members on public.teams for select to authenticated
  using (exists (select 1 from public.team_members m where m.user_id = (select auth.uid()) and m.team_id = teams.id));
create policy members_read_own on public.team_members for select to authenticated using (user_id = auth.uid());
create policy members_tenant on public.team_members for select to authenticated using (role = current_setting('app.role', true));
create policy members_read_team on public.team_members for select to authenticated
  using (exists (select 1 from public.teams t where t.id = team_id and t.owner_id = (select auth.uid())) or fixed.is_team_member(team_id));
create policy members_admin_meta on public.team_members for delete to authenticated
  using (((select auth.jwt()) -> 'user_metadata' ->> 'role') = 'admin');
create policy members_admin_app on public.team_members for update to authenticated
  using (((select auth.jwt()) -> 'app_metadata' ->> 'role') = 'admin');
`;

describe.each(engineNames)('SQL-reading lint rules on %s', (kind) => {
  let fx: FixtureDb;
  let findings: Finding[];

  beforeAll(async () => {
    fx = await openFixtureDb(kind, FIXTURE, { prefix: 'lint_sql' });
    findings = sqlRules.check({ catalog: fx.catalog, exposedSchemas: ['public'] });
  });

  afterAll(async () => {
    await fx?.close();
  });

  const of = (rule: string) => findings.filter((f) => f.rule === rule);
  const objects = (rule: string) =>
    of(rule)
      .map((f) => `${f.level} ${f.object}`)
      .sort();

  it('describes every rule it reports', () => {
    const ids = sqlRules.rules.map((r) => r.id);
    expect(ids).toEqual([
      'function_param_shadows_column',
      'security_definer_bypasses_rls',
      'rls_policy_always_true',
      'auth_rls_initplan',
      'rls_references_user_metadata',
    ]);
    for (const f of findings) expect(ids).toContain(f.rule);
  });

  it("function_param_shadows_column: seed 000's is_team_member(team_id uuid) is an error; is_team_member(p_team_id uuid) is clean", () => {
    expect(objects('function_param_shadows_column')).toEqual([
      'error public.count_members_use_column(uuid)',
      'error public.is_member_atomic(uuid)',
      'error public.is_team_member(uuid)',
      'warn public.count_members(uuid)',
      'warn public.my_teams()',
    ]);
    const seed = of('function_param_shadows_column').find((f) => f.object === 'public.is_team_member(uuid)')!;
    expect(seed.message).toContain('function public.is_team_member(team_id uuid)');
    expect(seed.message).toContain('parameter "team_id"');
    expect(seed.message).toContain('column public.team_members.team_id');
    expect(seed.message).toContain('"team_id = team_id" compares the column with itself');
    expect(seed.remediation).toContain('p_team_id');
    expect(seed.remediation).toContain('is_team_member.team_id (or $1)');
    expect(seed.source).toEqual({ kind: 'function', schema: 'public', name: 'is_team_member' });
    expect(seed.objectKind).toBe('function');
    expect(seed.location).toBeUndefined();

    const plpgsql = of('function_param_shadows_column').find((f) => f.object === 'public.count_members(uuid)')!;
    expect(plpgsql.message).toContain('column reference "team_id" is ambiguous');
    const table = of('function_param_shadows_column').find((f) => f.object === 'public.my_teams()')!;
    expect(table.message).toContain('output column "id" has the name of column public.teams.id');
  });

  it('security_definer_bypasses_rls: names the RLS tables a definer function reads with an unpinned search_path', () => {
    expect(objects('security_definer_bypasses_rls')).toEqual([
      'warn public.is_team_member(uuid)',
      'warn public.rename_team(uuid, text)',
      'warn public.team_owner(uuid)',
    ]);
    const byObject = new Map(of('security_definer_bypasses_rls').map((f) => [f.object, f]));
    expect(byObject.get('public.is_team_member(uuid)')!.message).toContain('reads public.team_members (RLS enabled)');
    expect(byObject.get('public.is_team_member(uuid)')!.message).toContain('no search_path of its own');
    expect(byObject.get('public.team_owner(uuid)')!.message).toContain('reads public.teams (RLS enabled) as its owner');
    expect(byObject.get('public.team_owner(uuid)')!.message).toContain("search_path 'public'");
    expect(byObject.get('public.rename_team(uuid, text)')!.message).toContain('public.teams');
    expect(byObject.get('public.team_owner(uuid)')!.remediation).toContain("alter function public.team_owner(uuid) set search_path = ''");
  });

  it('rls_policy_always_true: permissive write policies warn, select-only ones are info; service_role, restrictive, expression-less and RLS-off ones pass', () => {
    expect(objects('rls_policy_always_true')).toEqual([
      'info public.teams.teams_read_all',
      'warn public.teams.teams_delete_selfcmp',
      'warn public.teams.teams_insert_1eq1',
      'warn public.teams.teams_read_members_bug',
      'warn public.teams.teams_update_open',
    ]);
    const open = of('rls_policy_always_true').find((f) => f.object === 'public.teams.teams_update_open')!;
    expect(open.message).toContain('policy "teams_update_open" on public.teams (for update to authenticated)');
    expect(open.message).toContain('USING (true) and WITH CHECK (true) hold for every row');
    expect(open.source).toEqual({ kind: 'policy', schema: 'public', table: 'teams', name: 'teams_update_open' });
    expect(of('rls_policy_always_true').find((f) => f.object === 'public.teams.teams_delete_selfcmp')!.message).toContain(
      '(owner_id = owner_id)',
    );
    const bug = of('rls_policy_always_true').find((f) => f.object === 'public.teams.teams_read_members_bug')!;
    expect(bug.message).toMatch(/compares (m\.)?team_id = (m\.)?team_id with itself/);
    expect(bug.remediation).toContain('team_id = teams.team_id');
  });

  it('auth_rls_initplan: per-row auth.uid() and current_setting() calls, not calls in a scalar subquery', () => {
    expect(objects('auth_rls_initplan')).toEqual([
      'warn public.team_members.members_read_own',
      'warn public.team_members.members_tenant',
      'warn public.teams.teams_insert_1eq1',
    ]);
    expect(of('auth_rls_initplan').find((f) => f.object === 'public.team_members.members_read_own')!.remediation).toContain(
      'auth.uid() → (select auth.uid())',
    );
    expect(of('auth_rls_initplan').find((f) => f.object === 'public.team_members.members_tenant')!.message).toContain('current_setting()');
  });

  it('rls_references_user_metadata: user_metadata is an error, app_metadata is fine', () => {
    expect(objects('rls_references_user_metadata')).toEqual(['error public.team_members.members_admin_meta']);
  });

  it.skipIf(kind !== 'postgres' || !splinterRunnable)(
    'finds what splinter finds on the rules both have, apart from the listed differences (both ways)',
    async () => {
      expect(cli, 'the Supabase CLI is a devDependency; install it (npm ci)').toBeDefined();
      const { run, results } = await runAdvisors(cli as SupabaseCli, fx.url!, makeProject().root);
      expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
      const theirs = new Set(results.filter((r) => SHARED.includes(r.name)).map(splinterKey));
      const ours = new Set(findings.filter((f) => SHARED.includes(f.rule)).map((f) => `${f.rule} ${f.object}`));
      for (const rule of SHARED)
        expect(
          [...theirs].some((k) => k.startsWith(`${rule} `)),
          `splinter reported nothing for ${rule}`,
        ).toBe(true);
      expect([...theirs].filter((k) => !ours.has(k)).sort()).toEqual(Object.keys(SPLINTER_ONLY).sort());
      expect([...ours].filter((k) => !theirs.has(k)).sort()).toEqual(Object.keys(KEEL_ONLY).sort());
    },
    180_000,
  );

  it('never reports the shim (auth.*) or an object that is not in the fixture', () => {
    for (const f of findings) expect(f.object.startsWith('auth.') || f.object.startsWith('extensions.')).toBe(false);
    expect(findings.filter((f) => f.object.startsWith('fixed.'))).toEqual([]);
  });
});
