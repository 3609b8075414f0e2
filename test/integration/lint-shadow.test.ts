/**
 * function_param_shadows_column on both engines: a body that reads the argument as `fn.arg` or `$1` uses the
 * unqualified name as the column on purpose (no finding); seed 000's `team_id = team_id` stays an error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lint, migrate } from '../../src/index.js';
import type { LintResult } from '../../src/commands/lint.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget } from '../support/projects.js';

const MIGRATION = String.raw`
create table public.team_members (team_id uuid not null, user_id uuid not null, primary key (team_id, user_id));
alter table public.team_members enable row level security;
create policy members_read on public.team_members for select to authenticated using (user_id = auth.uid());

-- Seed 000's bug: both sides are the column.
create function public.is_member_bug(team_id uuid) returns boolean language sql stable as $$
  select exists (select 1 from public.team_members where user_id = auth.uid() and team_id = team_id)
$$;
-- The argument read qualified by the function's name: the unqualified team_id is the column.
create function public.is_member_qualified(team_id uuid) returns boolean language sql stable as $$
  select exists (select 1 from public.team_members where user_id = auth.uid() and team_id = is_member_qualified.team_id)
$$;
-- The argument read as $1.
create function public.is_member_positional(user_id uuid, team_id uuid) returns boolean language sql stable as $$
  select exists (select 1 from public.team_members where user_id = $1 and team_id = $2)
$$;
-- Qualified in one place, but another parameter is still shadowed.
create function public.count_members(team_id uuid, user_id uuid) returns bigint language sql stable as $$
  select count(*) from public.team_members where team_id = count_members.team_id and user_id = user_id
$$;
-- PL/pgSQL: the unqualified name stays ambiguous at run time even when the argument is also read qualified.
create function public.plpgsql_member(team_id uuid) returns boolean language plpgsql stable as $$
begin
  return exists (select 1 from public.team_members where team_id = plpgsql_member.team_id);
end $$;
`;

describe.each(engineNames)('function_param_shadows_column on %s', (engineName) => {
  let target: TestTarget;
  let result: LintResult;
  beforeAll(async () => {
    target = await targetFor(engineName);
    const p = makeProject({ 'migrations/001_members.sql': MIGRATION });
    if (target.url) await migrate({ cwd: p.root, ...target.options });
    result = await lint({ cwd: p.root, ...target.options, rules: ['function_param_shadows_column'] });
  }, 120_000);
  afterAll(async () => {
    await target?.drop();
  });

  const findingsFor = (fn: string) => result.findings.filter((f) => f.object.startsWith(`public.${fn}(`));

  it('reports the self-comparison as an error', () => {
    expect(findingsFor('is_member_bug')).toMatchObject([{ level: 'error', message: expect.stringContaining('"team_id = team_id"') }]);
  });

  it('passes a body that reads the argument as fn.arg or $n', () => {
    expect(findingsFor('is_member_qualified')).toEqual([]);
    expect(findingsFor('is_member_positional')).toEqual([]);
  });

  it('still reports a parameter the body never reads otherwise', () => {
    const f = findingsFor('count_members');
    expect(f).toHaveLength(1);
    expect(f[0]!.message).toContain('parameter "user_id"');
  });

  it('keeps the PL/pgSQL ambiguity warning', () => {
    expect(findingsFor('plpgsql_member')).toMatchObject([{ level: 'warn', message: expect.stringContaining('is ambiguous') }]);
  });
});
