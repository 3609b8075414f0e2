import { beforeAll, describe, expect, it } from 'vitest';
import type { Routine } from '../../src/core/catalog/index.js';
import { ensureParser, parseSql } from '../../src/core/sql/parser.js';
import { parsePlpgsql } from '../../src/core/sql/plpgsql.js';
import { isPluralWord, isSnakeCase, pluralOf } from '../../src/features/lint/conventions/names.js';
import {
  callsOutsideSubquery,
  constantTruth,
  isPerRowAuthCall,
  parseExpression,
  readsJwtUserMetadata,
  requiresNull,
  selfComparisons,
} from '../../src/features/lint/sql-rules/expr.js';
import { readRoutineBody } from '../../src/features/lint/sql-rules/function-body.js';
import { findShadowedParams, type ResolveRelation } from '../../src/features/lint/sql-rules/shadow.js';

beforeAll(async () => {
  await ensureParser();
});

const truth = (e: string) => constantTruth(parseExpression(e));

describe('constantTruth', () => {
  it.each([
    'true',
    "'t'::boolean",
    '(1 = 1)',
    "'a'::text = 'a'::text",
    '2 > 1',
    '1.5 <= 1.5',
    'team_id = team_id',
    't.team_id = t.team_id',
    'lower(name) = lower(name)',
    'true OR (user_id = auth.uid())',
    '(user_id = auth.uid()) OR (1 = 1)',
    'NOT false',
    'true AND (2 <> 3)',
    'coalesce(null, true)',
    'exists (select 1)',
    'x IS NOT DISTINCT FROM x',
    'true IS TRUE',
    '1 IS NOT NULL',
    'NOT (team_id <> team_id)',
  ])('%s is always true', (e) => {
    expect(truth(e)).toBe('true');
  });

  it.each(['false', '1 = 2', "'a' = 'b'", 'x <> x', 'true AND false', 'NOT true', 'x IS DISTINCT FROM x'])('%s is always false', (e) => {
    expect(truth(e)).toBe('false');
  });

  it.each([
    'user_id = auth.uid()',
    'team_id = p_team_id',
    'm.team_id = t.team_id',
    'true AND (user_id = auth.uid())',
    'false OR is_admin()',
    'random() = random()',
    'exists (select 1 from public.team_members)',
    'exists (select 1 where false)',
    'published',
    'auth.role() = auth.role() AND owner_id = auth.uid()',
  ])('%s depends on the row or the session', (e) => {
    expect(truth(e)).toBe('unknown');
  });

  it('keeps SQL three-valued logic: null AND true is null, null OR true is true', () => {
    expect(truth('null::boolean AND true')).toBe('null');
    expect(truth('null::boolean OR true')).toBe('true');
    expect(truth('null::boolean IS NULL')).toBe('true');
  });
});

describe('calls outside a subquery (auth_rls_initplan)', () => {
  const calls = (e: string) => callsOutsideSubquery(parseExpression(e), isPerRowAuthCall);

  it('finds auth.* and current_setting calls evaluated per row', () => {
    expect(calls('(user_id = auth.uid())')).toEqual(['auth.uid()']);
    expect(calls("((auth.jwt() ->> 'org'::text) = org) AND (auth.role() = 'authenticated'::text)")).toEqual(['auth.jwt()', 'auth.role()']);
    expect(calls("current_setting('app.tenant'::text, true) = tenant")).toEqual(['current_setting()']);
    expect(calls("pg_catalog.current_setting('app.tenant'::text) = tenant")).toEqual(['pg_catalog.current_setting()']);
    expect(calls('auth.email() = email')).toEqual(['auth.email()']);
  });

  it('accepts calls under a SubLink, however deep, and other functions', () => {
    expect(calls('(user_id = ( SELECT auth.uid() AS uid))')).toEqual([]);
    expect(calls('exists (select 1 from public.team_members m where m.user_id = auth.uid())')).toEqual([]);
    expect(calls('public.is_team_member(team_id) AND is_admin()')).toEqual([]);
    expect(calls('(owner_id = (select auth.uid())) OR (editor_id = auth.uid())')).toEqual(['auth.uid()']);
  });
});

describe('user_metadata from auth.jwt()', () => {
  it.each([
    "((auth.jwt() -> 'user_metadata'::text) ->> 'role'::text) = 'admin'::text",
    "(auth.jwt() #>> '{user_metadata,role}'::text[]) = 'admin'::text",
    "jsonb_extract_path_text(auth.jwt(), 'user_metadata', 'role') = 'admin'",
    "(( SELECT auth.jwt() AS jwt) -> 'user_metadata'::text) ? 'admin'::text",
    "((current_setting('request.jwt.claims'::text, true))::jsonb -> 'user_metadata'::text) ->> 'role'::text = 'admin'::text",
  ])('%s reads user_metadata', (e) => {
    expect(readsJwtUserMetadata(parseExpression(e))).toBe(true);
  });

  it.each([
    "((auth.jwt() -> 'app_metadata'::text) ->> 'role'::text) = 'admin'::text",
    "(metadata -> 'user_metadata'::text) IS NOT NULL",
    "(auth.jwt() #>> '{app_metadata,user_metadata}'::text[]) = 'x'",
    "(current_setting('app.settings'::text, true)::jsonb -> 'user_metadata'::text) IS NOT NULL",
  ])('%s does not', (e) => {
    expect(readsJwtUserMetadata(parseExpression(e))).toBe(false);
  });
});

describe('requiresNull (soft-deleted rows hidden on every path)', () => {
  const req = (e: string) => requiresNull(parseExpression(e), 'deleted_at', 'tasks');
  it('needs the test on every permissive path', () => {
    expect(req('(deleted_at IS NULL) AND (user_id = auth.uid())')).toBe(true);
    expect(req('(tasks.deleted_at IS NULL) AND is_admin()')).toBe(true);
    expect(req('NOT (deleted_at IS NOT NULL)')).toBe(true);
    expect(req('((deleted_at IS NULL) AND a) OR ((deleted_at IS NULL) AND b)')).toBe(true);
    expect(req('(deleted_at IS NULL) OR is_admin()')).toBe(false);
    expect(req('user_id = auth.uid()')).toBe(false);
    expect(req('deleted_at IS NOT NULL')).toBe(false);
    expect(req('exists (select 1 from public.projects p where p.deleted_at is null)')).toBe(false);
    expect(req('(other.deleted_at IS NULL) AND x')).toBe(false);
  });
});

describe('selfComparisons', () => {
  it('lists columns compared with themselves anywhere in the tree', () => {
    expect(selfComparisons(parseExpression('exists (select 1 from m where user_id = auth.uid() and team_id = team_id)'))).toEqual([
      'team_id',
    ]);
    expect(selfComparisons(parseExpression('team_id = p_team_id'))).toEqual([]);
  });
});

describe('findShadowedParams', () => {
  const tables: Record<string, string[]> = {
    'public.team_members': ['id', 'team_id', 'user_id', 'role'],
    'public.teams': ['id', 'name', 'owner_id'],
  };
  const resolve: ResolveRelation = (schema, name) => {
    const key = `${schema ?? 'public'}.${name}`;
    const columns = tables[key];
    return columns ? { name: key, columns } : undefined;
  };
  const stmts = (sql: string) => (parseSql(sql).stmts ?? []).map((s) => s.stmt);

  it("finds seed 000's is_team_member(team_id uuid) body and sees the self-comparison", () => {
    const body = 'select exists (select 1 from public.team_members where user_id = auth.uid() and team_id = team_id);';
    expect(findShadowedParams(stmts(body), ['team_id'], resolve)).toEqual([
      { param: 'team_id', column: 'team_id', relation: 'public.team_members', selfComparison: true },
    ]);
  });

  it('passes the fixed body with p_team_id, and qualified or positional references', () => {
    expect(
      findShadowedParams(stmts('select exists (select 1 from public.team_members where team_id = p_team_id)'), ['p_team_id'], resolve),
    ).toEqual([]);
    expect(
      findShadowedParams(
        stmts('select exists (select 1 from public.team_members m where m.team_id = is_team_member.team_id)'),
        ['team_id'],
        resolve,
      ),
    ).toEqual([]);
    expect(
      findShadowedParams(stmts('select exists (select 1 from public.team_members m where m.team_id = $1)'), ['team_id'], resolve),
    ).toEqual([]);
  });

  it('needs the column on a table the query level can see', () => {
    // `name` is a column of teams only; the team_members query does not read teams.
    expect(findShadowedParams(stmts('select count(*) from public.team_members where role = name'), ['name'], resolve)).toEqual([]);
    // An outer table is visible inside a subquery.
    expect(
      findShadowedParams(
        stmts('select 1 from public.teams t where exists (select 1 from public.team_members m where m.role = name)'),
        ['name'],
        resolve,
      ),
    ).toEqual([{ param: 'name', column: 'name', relation: 'public.teams', selfComparison: false }]);
    // The VALUES of an INSERT cannot see the target table; its RETURNING can.
    expect(findShadowedParams(stmts('insert into public.teams (name) values (name)'), ['name'], resolve)).toEqual([]);
    expect(
      findShadowedParams(stmts('update public.teams set name = new_name where owner_id = owner_id'), ['owner_id', 'new_name'], resolve),
    ).toEqual([{ param: 'owner_id', column: 'owner_id', relation: 'public.teams', selfComparison: true }]);
  });

  it('reads a stored BEGIN ATOMIC body, where the shadowing shows as a bound self-comparison', () => {
    const atomic = stmts(
      'SELECT (EXISTS ( SELECT 1 FROM public.team_members WHERE (team_members.team_id = team_members.team_id))) AS "exists"',
    );
    expect(findShadowedParams(atomic, ['team_id'], resolve, { resolvedBody: true })).toEqual([
      { param: 'team_id', column: 'team_id', relation: 'public.team_members', selfComparison: true },
    ]);
    const fixed = stmts('SELECT (EXISTS ( SELECT 1 FROM public.team_members m WHERE (m.team_id = is_team_member.team_id))) AS "exists"');
    expect(findShadowedParams(fixed, ['team_id'], resolve, { resolvedBody: true })).toEqual([]);
  });
});

describe('PL/pgSQL bodies', () => {
  const routine = (definition: string, body: string): Routine => ({
    schema: 'public',
    name: 'f',
    kind: 'function',
    identityArgs: '',
    arguments: [],
    returnType: 'integer',
    returnsSet: false,
    language: 'plpgsql',
    volatility: 'volatile',
    securityDefiner: false,
    strict: false,
    config: [],
    body,
    definition,
    comment: null,
    grants: [],
  });

  it('parsePlpgsql gives the datums (parameters first) and no NEW outside trigger functions', () => {
    const [fn] = parsePlpgsql('create function f(team_id uuid) returns int language plpgsql as $$ begin return 1; end $$');
    expect(fn?.datums.some((d) => (d.PLpgSQL_var as { refname?: string } | undefined)?.refname === 'team_id')).toBe(true);
    expect(fn?.newVarno).toBeNull();
  });

  it('collects every embedded query (statements, conditions, loops, assignments, declarations) with its line', () => {
    const body = `
declare
  n int := (select count(*) from public.teams);
  r record;
begin
  select count(*) into n from public.team_members where team_id = team_id;
  if exists (select 1 from public.teams where owner_id = auth.uid()) then
    n := (select count(*) from public.team_members where role = 'owner');
  end if;
  for r in select * from public.teams loop perform 1; end loop;
  return n;
end`;
    const b = readRoutineBody(routine(`create function public.f(team_id uuid) returns integer language plpgsql as $fn$${body}$fn$`, body));
    expect(b?.unparsed).toBe(0);
    const tables = new Set<string>();
    for (const q of b?.queries ?? []) {
      JSON.stringify(q.stmt, (k, v: unknown) => {
        if (k === 'relname' && typeof v === 'string') tables.add(v);
        return v;
      });
    }
    expect([...tables].sort()).toEqual(['team_members', 'teams']);
    expect(b?.queries.map((q) => q.line).filter((l) => l !== null)).toEqual(expect.arrayContaining([6, 7, 8, 10]));
    expect(b?.variableConflict).toBe('error');
  });

  it('reads #variable_conflict and which NEW fields a trigger function assigns', () => {
    const body =
      "\n#variable_conflict use_column\nbegin\n  if tg_op = 'UPDATE' then new.updated_at := now(); end if;\n  NEW.edited = true;\n  return new;\nend";
    const b = readRoutineBody(routine(`create function public.f() returns trigger language plpgsql as $fn$${body}$fn$`, body));
    expect(b?.variableConflict).toBe('use_column');
    expect(b?.assignsNew.sort()).toEqual(['edited', 'updated_at']);
    const other = '\nbegin\n  new.modified_at := now();\n  return new;\nend';
    expect(
      readRoutineBody(routine(`create function public.f() returns trigger language plpgsql as $fn$${other}$fn$`, other))?.assignsNew,
    ).toEqual(['modified_at']);
  });
});

describe('naming helpers', () => {
  it('snake_case', () => {
    expect(['team_members', 'v2_items', 'a'].filter((n) => !isSnakeCase(n))).toEqual([]);
    expect(['TeamMembers', 'team-members', 'team__members', '_tmp', 'teamMembers', 'x_'].filter(isSnakeCase)).toEqual([]);
  });

  it('plural by the last word, with a documented simple rule', () => {
    expect(['members', 'statuses', 'entries', 'people', 'data', 'metadata', 'knowledge'].filter((w) => !isPluralWord(w))).toEqual([]);
    expect(['member', 'status', 'address', 'analysis', 'profile', 'category'].filter(isPluralWord)).toEqual([]);
    expect(['category', 'address', 'profile', 'box'].map(pluralOf)).toEqual(['categories', 'addresses', 'profiles', 'boxes']);
  });
});
