import { beforeAll, describe, expect, it } from 'vitest';
import { ensureParser } from '../../src/core/sql/parser.js';
import { splitSql } from '../../src/core/sql/split.js';
import { declarativeTargets, targetState } from '../../src/features/migrate/declarative-state.js';

beforeAll(async () => {
  await ensureParser();
});

const targets = (sql: string) => declarativeTargets(splitSql(sql, 'supabase/policies/x.sql'));

describe('declarativeTargets', () => {
  it('names the tables and functions of a policy file made of checkable statements', () => {
    expect(
      targets(`alter table public.teams enable row level security;
alter table public.teams force row level security;
drop policy if exists "members read" on public.teams;
create policy "members read" on public.teams for select using (public.is_member(id));
alter policy "members read" on public.teams to authenticated;
create or replace function public.is_member(p uuid) returns boolean language sql stable as 'select true';
grant select on public.teams, app.notes to anon;
revoke execute on function public.is_member(uuid) from anon;`),
    ).toEqual({
      tables: [
        ['public', 'teams'],
        ['public', 'teams'],
        ['public', 'teams'],
        ['public', 'teams'],
        ['public', 'teams'],
        ['public', 'teams'],
        ['app', 'notes'],
      ],
      functions: [
        ['public', 'is_member'],
        ['public', 'is_member'],
      ],
    });
  });

  it.each([
    ['a DO block', `do $$ begin perform 1; end $$`],
    ['a grant on all tables in a schema', 'grant select on all tables in schema public to anon'],
    ['an unqualified table', 'create policy p on teams for select using (true)'],
    ['an unqualified function', `create function f() returns int language sql as 'select 1'`],
    ['an ALTER TABLE that is not about RLS', 'alter table public.teams add column x int'],
    ['a comment', `comment on table public.teams is 'x'`],
    ['a grant on a schema', 'grant usage on schema public to anon'],
  ])('returns undefined for a file with %s (it runs every time)', (_what, sql) => {
    expect(targets(sql)).toBeUndefined();
  });
});

describe('targetState', () => {
  const t = { tables: [['public', 'teams'] as [string, string]], functions: [['public', 'f'] as [string, string]] };
  it('changes when a target changes or disappears, and not otherwise', () => {
    const states = new Map([
      ['t["public","teams"]', 'true|false|acl|p1'],
      ['f["public","f"]', 'def'],
    ]);
    const same = targetState(t, new Map(states));
    expect(targetState(t, states)).toBe(same);
    expect(targetState(t, new Map([...states, ['t["public","teams"]', 'true|false|acl|p2']]))).not.toBe(same);
    expect(targetState(t, new Map([['f["public","f"]', 'def']]))).not.toBe(same);
  });
});
