import { afterEach, describe, expect, it } from 'vitest';
import { asUser, KeelError, openEngine, testRls } from '../../src/index.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget } from '../support/projects.js';

const OWNER = '00000000-0000-0000-0000-000000000001';
const MEMBER = '00000000-0000-0000-0000-000000000002';
const OUTSIDER = '00000000-0000-0000-0000-000000000003';
const TEAM = '10000000-0000-0000-0000-000000000001';
const NOTE = '20000000-0000-0000-0000-000000000001';

const POLICY_SELECT = `using (exists (select 1 from public.members m where m.team_id = notes.team_id and m.user_id = (select auth.uid())))`;

const PROJECT = {
  'migrations/001_create_notes.sql': `create table public.members (team_id uuid not null, user_id uuid not null references auth.users (id), primary key (team_id, user_id));
create table public.notes (id uuid primary key default gen_random_uuid(), team_id uuid not null, user_id uuid not null references auth.users (id), body text not null);
grant select, insert, update, delete on public.notes, public.members to authenticated;
revoke all on public.notes, public.members from anon;`,
  'policies/members_rls.sql': `alter table public.members enable row level security;
drop policy if exists "see own membership" on public.members;
create policy "see own membership" on public.members for select using (user_id = (select auth.uid()));`,
  'policies/notes_rls.sql': `alter table public.notes enable row level security;
drop policy if exists "team reads notes" on public.notes;
drop policy if exists "authors write notes" on public.notes;
drop policy if exists "authors change notes" on public.notes;
drop policy if exists "authors delete notes" on public.notes;
create policy "team reads notes" on public.notes for select ${POLICY_SELECT};
create policy "authors write notes" on public.notes for insert with check (user_id = (select auth.uid()));
create policy "authors change notes" on public.notes for update using (user_id = (select auth.uid()));
create policy "authors delete notes" on public.notes for delete using (user_id = (select auth.uid()));`,
  'seed/001_seed.sql': `insert into auth.users (id, email) values ('${OWNER}', 'owner@example.com'), ('${MEMBER}', 'member@example.com'), ('${OUTSIDER}', 'out@example.com');
insert into public.members values ('${TEAM}', '${OWNER}'), ('${TEAM}', '${MEMBER}');
insert into public.notes (id, team_id, user_id, body) values ('${NOTE}', '${TEAM}', '${OWNER}', 'hello'), (default, '${TEAM}', '${MEMBER}', 'hi');`,
  'tests/rls.yaml': `personas:
  anon: { role: anon }
  owner: { role: authenticated, sub: ${OWNER} }
  member: { role: authenticated, sub: ${MEMBER} }
  outsider: { role: authenticated, sub: ${OUTSIDER} }
  service: { role: service_role }
tables:
  public.notes:
    select: { anon: none, owner: 2, member: all, outsider: none, service: all }
    insert:
      row: { team_id: ${TEAM}, user_id: ${MEMBER}, body: new }
      anon: deny
      owner: deny
      member: allow
      outsider: deny
      service: allow
    update:
      where: { id: ${NOTE} }
      set: { body: changed }
      anon: deny
      owner: allow
      member: deny
      outsider: deny
      service: allow
    delete:
      where: { id: ${NOTE} }
      anon: deny
      owner: allow
      member: deny
      outsider: deny
      service: allow
  public.members:
    select: { anon: none, owner: 1, member: { ids: ["${TEAM},${MEMBER}"] }, outsider: none, service: 2 }
    insert:
      row: { team_id: ${TEAM}, user_id: ${OUTSIDER} }
      anon: deny
      owner: deny
      member: deny
      outsider: deny
      service: allow
    update:
      where: { user_id: ${MEMBER} }
      set: { team_id: ${TEAM} }
      anon: deny
      owner: deny
      member: deny
      outsider: deny
      service: allow
    delete:
      where: { user_id: ${MEMBER} }
      anon: deny
      owner: deny
      member: deny
      outsider: deny
      service: allow
`,
};

describe.each(engineNames)('keel test rls on %s', (engineName) => {
  let target: TestTarget;
  afterEach(async () => {
    await target?.drop();
  });

  it('passes a spec that matches the policies, with full coverage and no cross-tenant leak', async () => {
    target = await targetFor(engineName);
    const p = makeProject(PROJECT);
    const r = await testRls({ cwd: p.root, ...target.options, yes: true });
    expect(r.failures).toEqual([]);
    expect(r.cells.length).toBe(2 * 4 * 5);
    expect(r.probe).toEqual([]);
    expect(r.coverage).toEqual({ uncovered: [], missingOps: [], missingPersonas: [] });
    expect(r.ok).toBe(true);
  });

  it('fails the cells a broken policy opens up (using (true)), naming cell, SQL and rows', async () => {
    target = await targetFor(engineName);
    const p = makeProject({
      ...PROJECT,
      'policies/notes_rls.sql': PROJECT['policies/notes_rls.sql']
        .replace(POLICY_SELECT, 'using (true)')
        .replace('for update using (user_id = (select auth.uid()))', 'for update using (true)'),
    });
    const r = await testRls({ cwd: p.root, ...target.options, yes: true });
    expect(r.ok).toBe(false);
    const failed = r.failures.map((f) => `${f.table} ${f.op} ${f.persona}: ${f.expected} → ${f.actual}`);
    expect(failed).toEqual([
      'public.notes select outsider: none → 2',
      'public.notes update member: deny → 1 row',
      'public.notes update outsider: deny → 1 row',
    ]);
    const outsider = r.failures.find((f) => f.persona === 'outsider' && f.op === 'select')!;
    expect(outsider.sql).toBe('select "id"::text as key from "public"."notes"');
    expect(outsider.rows).toHaveLength(2);
    // The probe catches the same hole from the other side: the outsider has no update rights in the spec.
    expect(r.probe.map((x) => `${x.persona} ${x.op} ${x.table}.${x.column} of ${x.owner}`)).toContain(
      'outsider update public.notes.user_id of owner',
    );
  });

  it('rejects a spec naming an unknown column before the reset commits: the database and its history stay as they were', async () => {
    target = await targetFor(engineName);
    const p = makeProject(PROJECT);
    expect((await testRls({ cwd: p.root, ...target.options, yes: true })).ok).toBe(true);
    const history = async () => {
      const engine = await openEngine(
        target.url ? { kind: 'postgres', url: target.url } : { kind: 'pglite', dataDir: `${p.root}/supabase/.keel/pglite` },
      );
      try {
        const r = await engine.query<{ v: string }>(
          "select version || ' ' || applied_at::text as v from supabase_migrations.keel_migrations order by version",
        );
        const notes = await engine.query<{ n: number }>('select count(*)::int as n from public.notes');
        return [...r.rows.map((x) => x.v), `notes ${notes.rows[0]!.n}`];
      } finally {
        await engine.close();
      }
    };
    const before = await history();
    expect(before).toHaveLength(2);
    p.write('tests/rls.yaml', PROJECT['tests/rls.yaml'].replace('body: new', 'no_such_column: new'));
    const err = await testRls({ cwd: p.root, ...target.options, yes: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeelError);
    expect((err as KeelError).message).toMatch(/no column "no_such_column"/);
    expect((err as KeelError).location).toMatchObject({ file: 'supabase/tests/rls.yaml', line: 11 });
    expect(await history()).toEqual(before);
  });

  it('asUser queries as a user, and rolls back', async () => {
    target = await targetFor(engineName);
    const p = makeProject(PROJECT);
    await testRls({ cwd: p.root, ...target.options, yes: true, noProbe: true });
    const engine = await openEngine(
      target.url ? { kind: 'postgres', url: target.url } : { kind: 'pglite', dataDir: `${p.root}/supabase/.keel/pglite` },
    );
    try {
      const seen = await asUser(engine, { role: 'authenticated', sub: OUTSIDER }, async (db) => {
        await db.query(`insert into public.notes (team_id, user_id, body) values ($1, $2, 'mine')`, [TEAM, OUTSIDER]);
        return (await db.query<{ body: string }>('select body from public.notes')).rows;
      });
      expect(seen).toEqual([]); // not a member: cannot even read the note it just wrote
      expect((await engine.query<{ n: string }>('select count(*) as n from public.notes')).rows[0]!.n).toBe('2');
    } finally {
      await engine.close();
    }
  });
});

describe('RLS spec errors', () => {
  it('reports every problem with its line', async () => {
    const p = makeProject({ ...PROJECT, 'tests/rls.yaml': 'personas:\n  a: { role: admin }\ntables:\n  notes:\n    select: { b: 3 }\n' });
    const err = await testRls({ cwd: p.root, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeelError);
    expect((err as KeelError).problems).toEqual([
      'supabase/tests/rls.yaml:2:3: persona "a" needs role: anon | authenticated | service_role',
      'supabase/tests/rls.yaml:4:3: "notes" must be schema-qualified (public.notes)',
      'supabase/tests/rls.yaml:5:15: "b" is not a declared persona',
    ]);
  });
});
