import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine, Transaction } from '../../src/db/engine.js';
import { openEngine } from '../../src/db/open.js';
import { installShim } from '../../src/db/shim/supabase-shim.js';
import { installTestHelpers, TEST_HELPERS_MARKER, TEST_HELPERS_VERSION } from '../../src/features/pgtap/helpers-sql.js';
import { installPgtap } from '../../src/features/pgtap/install.js';
import { createTestDatabase, engineNames, type TestDatabase } from '../support/postgres.js';

/**
 * Keel's built-in Supabase test helpers (schema `tests`), on both engines: every helper, each check asserted from
 * the rows it returns. Every case runs in a transaction that is rolled back, as `keel test db` runs a suite file.
 */

/** Notes owned by a user (RLS), and two schemas for tests.rls_enabled: one all-RLS, one mixed. */
const FIXTURE = `
create table public.notes (
  id bigint generated always as identity primary key,
  owner_id uuid not null default auth.uid() references auth.users (id) on delete cascade,
  body text not null,
  created_at timestamptz not null default now()
);
alter table public.notes enable row level security;
create policy "own notes" on public.notes for all to authenticated
  using (owner_id = (select auth.uid())) with check (owner_id = (select auth.uid()));
grant select, insert, update, delete on public.notes to authenticated;

create function public.note_stamp() returns timestamptz language plpgsql stable as $$ begin return now(); end $$;
create function public.pinned_stamp() returns timestamptz language sql stable set search_path = '' as $$ select now() $$;

create schema rls_all;
create table rls_all.a (id int);
create table rls_all.b (id int);
alter table rls_all.a enable row level security;
alter table rls_all.b enable row level security;
create view rls_all.v as select id from rls_all.a; -- views have no RLS of their own: not counted

create schema rls_mixed;
create table rls_mixed.secured (id int);
alter table rls_mixed.secured enable row level security;
create table rls_mixed.open_one (id int);
create table rls_mixed.open_two (id int);
`;

const SEARCH_PATH = 'set local search_path = "$user", public, extensions';

class Rollback<T> extends Error {
  constructor(readonly value: T) {
    super('rolled back on purpose');
  }
}

describe.each(engineNames)('Supabase test helpers on %s', (kind) => {
  let engine: Engine;
  let testDb: TestDatabase | undefined;

  /** Runs `fn` in a transaction that is then rolled back, and returns what `fn` returned. */
  async function rolledBack<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    try {
      await engine.transaction(async (tx) => {
        await tx.exec(SEARCH_PATH);
        throw new Rollback(await fn(tx));
      });
    } catch (err) {
      if (err instanceof Rollback) return err.value as T;
      throw err;
    }
    throw new Error('unreachable');
  }

  async function one<T>(tx: Transaction, sql: string, params?: unknown[]): Promise<T> {
    const { rows } = await tx.query<T>(sql, params);
    if (rows.length !== 1) throw new Error(`expected one row from ${sql}, got ${rows.length}`);
    return rows[0] as T;
  }

  beforeAll(async () => {
    if (kind === 'postgres') {
      testDb = await createTestDatabase('test_helpers');
      engine = await openEngine({ kind: 'postgres', url: testDb.url });
    } else {
      engine = await openEngine({ kind: 'pglite', memory: true }, { extensions: ['pgtap'] });
    }
    await engine.transaction((tx) => installShim(tx));
    // The helpers first, pgTAP after: rls_enabled() resolves pgTAP's functions only when it runs.
    await engine.transaction((tx) => installTestHelpers(tx));
    await engine.transaction((tx) => installPgtap(tx, engine.kind));
    await engine.transaction(async (tx) => {
      await tx.exec(SEARCH_PATH);
      await tx.exec(FIXTURE);
    });
  });

  afterAll(async () => {
    await engine?.close();
    await testDb?.drop();
  });

  it('installs once per version, with the community signatures, executable by the API roles and not by PUBLIC', async () => {
    const comment = `${TEST_HELPERS_MARKER} v${TEST_HELPERS_VERSION}`;
    const result = await rolledBack(async (tx) => {
      await installTestHelpers(tx); // current: nothing to do
      const before = await one<{ comment: string }>(tx, `select obj_description('tests'::regnamespace, 'pg_namespace') as comment`);
      // An older version is replaced: the marker is refreshed and dropped functions come back.
      await tx.exec(`comment on schema tests is '${TEST_HELPERS_MARKER} v0'; drop function tests.unfreeze_time()`);
      await installTestHelpers(tx);
      const after = await one<{ comment: string; unfreeze: boolean }>(
        tx,
        `select obj_description('tests'::regnamespace, 'pg_namespace') as comment, to_regprocedure('tests.unfreeze_time()') is not null as unfreeze`,
      );
      const { rows } = await tx.query<{
        signature: string;
        result: string;
        anon: boolean;
        authenticated: boolean;
        service: boolean;
        public: boolean;
      }>(
        `select p.oid::regprocedure::text as signature, pg_get_function_result(p.oid) as result,
                has_function_privilege('anon', p.oid, 'execute') as anon,
                has_function_privilege('authenticated', p.oid, 'execute') as authenticated,
                has_function_privilege('service_role', p.oid, 'execute') as service,
                exists (select 1 from aclexplode(p.proacl) a where a.grantee = 0 and a.privilege_type = 'EXECUTE') as public
           from pg_proc p where p.pronamespace = 'tests'::regnamespace order by 1`,
      );
      return { before: before.comment, after, rows };
    });
    expect(result.before).toBe(comment);
    expect(result.after).toEqual({ comment, unfreeze: true });
    expect(result.rows.map((r) => `${r.signature} -> ${r.result}`)).toEqual([
      'tests.authenticate_as(text) -> void',
      'tests.authenticate_as_service_role() -> void',
      'tests.clear_authentication() -> void',
      'tests.create_supabase_user(text,text,text,jsonb) -> uuid',
      'tests.freeze_time(timestamp with time zone) -> void',
      'tests.get_supabase_uid(text) -> uuid',
      'tests.get_supabase_user(text) -> json',
      'tests.rls_enabled(text) -> text',
      'tests.rls_enabled(text,text) -> text',
      'tests.unfreeze_time() -> void',
    ]);
    for (const r of result.rows) expect(r, r.signature).toMatchObject({ anon: true, authenticated: true, service: true, public: false });
  });

  it("steps aside for a project's own helpers: its function of the same name (any signature) wins, no call is ambiguous", async () => {
    const r = await rolledBack(async (tx) => {
      // the project's own, with another signature than Keel's (text, text, text, jsonb), unmarked
      await tx.exec(`create function tests.create_supabase_user(identifier text, email text default null, phone text default null)
        returns uuid language sql as $$ select '00000000-0000-0000-0000-0000000000aa'::uuid $$`);
      const provided = await installTestHelpers(tx);
      const theirs = await one<{ id: string }>(tx, `select tests.create_supabase_user('alice') as id`);
      const signatures = await tx.query<{ s: string }>(
        `select p.oid::regprocedure::text as s from pg_proc p where p.pronamespace = 'tests'::regnamespace and p.proname = 'create_supabase_user'`,
      );
      // named by a suite: Keel's of that name goes, every overload
      const withoutRls = await installTestHelpers(tx, { defines: ['tests.rls_enabled'] });
      const rls = await one<{ n: number }>(
        tx,
        `select count(*)::int as n from pg_proc where pronamespace = 'tests'::regnamespace and proname = 'rls_enabled'`,
      );
      // a suite creating schema tests itself: Keel's schema (only Keel's functions in it) goes
      await tx.exec(`drop function tests.create_supabase_user(text, text, text)`);
      await installTestHelpers(tx, { ownsSchemas: ['tests'] });
      const schema = await one<{ gone: boolean; overrides: boolean }>(
        tx,
        `select to_regnamespace('tests') is null as gone, to_regprocedure('test_overrides.now()') is not null as overrides`,
      );
      const none = await installTestHelpers(tx, { none: true });
      const left = await one<{ n: number }>(
        tx,
        `select count(*)::int as n from pg_proc where pronamespace = 'test_overrides'::regnamespace`,
      );
      return {
        provided,
        theirs: theirs.id,
        signatures: signatures.rows.map((x) => x.s),
        withoutRls,
        rls: rls.n,
        schema,
        none,
        left: left.n,
      };
    });
    expect(r.provided).not.toContain('tests.create_supabase_user');
    expect(r.provided).toContain('tests.authenticate_as');
    expect(r.theirs).toBe('00000000-0000-0000-0000-0000000000aa');
    expect(r.signatures).toEqual(['tests.create_supabase_user(text,text,text)']);
    expect(r.withoutRls).not.toContain('tests.rls_enabled');
    expect(r.rls).toBe(0);
    expect(r.schema).toEqual({ gone: true, overrides: true });
    expect(r.none).toEqual([]);
    expect(r.left).toBe(0);
  });

  it('create_supabase_user inserts an auth user remembered by its identifier; get_supabase_user/uid read it back', async () => {
    const r = await rolledBack(async (tx) => {
      const alice = await one<{ id: string }>(
        tx,
        `select tests.create_supabase_user('alice', 'alice@test.dev', '+15550001', '{"full_name": "Alice"}') as id`,
      );
      const bare = await one<{ id: string }>(tx, `select tests.create_supabase_user('bare') as id`);
      const row = await one<Record<string, unknown>>(
        tx,
        `select email::text, phone::text, raw_user_meta_data, raw_app_meta_data, aud::text, role::text, created_at is not null as created,
                email_confirmed_at = created_at as email_confirmed, phone_confirmed_at = created_at as phone_confirmed
           from auth.users where id = $1`,
        [alice.id],
      );
      const bareEmail = await one<{ email: string; email_confirmed: boolean; phone_confirmed: boolean }>(
        tx,
        `select email::text, email_confirmed_at is not null as email_confirmed, phone_confirmed_at is not null as phone_confirmed from auth.users where id = $1`,
        [bare.id],
      );
      const user = await one<{ u: Record<string, unknown> }>(tx, `select tests.get_supabase_user('alice') as u`);
      const uid = await one<{ id: string }>(tx, `select tests.get_supabase_uid('alice') as id`);
      // Callable as anon, which cannot read auth.users itself (security definer)
      await tx.exec('set local role anon');
      const asAnon = await one<{ id: string; who: string }>(
        tx,
        `select tests.create_supabase_user('by-anon') as id, current_user::text as who`,
      );
      const anonReadsUsers = await tx.query('select 1 from auth.users').then(
        () => true,
        () => false,
      );
      return { alice: alice.id, bare: bare.id, row, bareEmail, user: user.u, uid: uid.id, asAnon, anonReadsUsers };
    });
    expect(r.alice).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.row).toEqual({
      email: 'alice@test.dev',
      phone: '+15550001',
      raw_user_meta_data: { full_name: 'Alice', test_identifier: 'alice' },
      raw_app_meta_data: {},
      aud: 'authenticated',
      role: 'authenticated',
      created: true,
      email_confirmed: true, // confirmed, as the platform's users are
      phone_confirmed: true,
    });
    expect(r.bareEmail).toEqual({ email: `${r.bare}@test.com`, email_confirmed: true, phone_confirmed: false });
    expect(r.user).toEqual({
      id: r.alice,
      email: 'alice@test.dev',
      phone: '+15550001',
      raw_user_meta_data: { full_name: 'Alice', test_identifier: 'alice' },
      raw_app_meta_data: {},
    });
    expect(r.uid).toBe(r.alice);
    expect(r.asAnon.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.asAnon.who).toBe('anon'); // the helper did not change the caller's role
    expect(r.anonReadsUsers).toBe(false);
  });

  it('get_supabase_uid, get_supabase_user and authenticate_as reject an unknown identifier with a clear message', async () => {
    for (const fn of ['get_supabase_uid', 'get_supabase_user', 'authenticate_as']) {
      await expect(rolledBack((tx) => tx.query(`select tests.${fn}('nobody')`))).rejects.toThrow('User with identifier nobody not found');
    }
  });

  it('authenticate_as signs in as the user: role authenticated, claims with sub/email/phone/metadata, auth.uid(), RLS as that user', async () => {
    const r = await rolledBack(async (tx) => {
      const alice = (
        await one<{ id: string }>(tx, `select tests.create_supabase_user('alice', 'alice@test.dev', '+15550001', '{"plan": "pro"}') as id`)
      ).id;
      const bob = (await one<{ id: string }>(tx, `select tests.create_supabase_user('bob', 'bob@test.dev') as id`)).id;
      await tx.query(`select tests.authenticate_as('alice')`);
      const who = await one<Record<string, unknown>>(
        tx,
        `select current_user::text as role, auth.uid()::text as uid, auth.email() as email, auth.role() as jwt_role,
                current_setting('request.jwt.claims')::jsonb as claims`,
      );
      await tx.query(`insert into public.notes (body) values ('alice''s note')`);
      const aliceSees = (await tx.query<{ body: string; owner_id: string }>('select body, owner_id from public.notes')).rows;
      await tx.query(`select tests.authenticate_as('bob')`);
      const bobUid = await one<{ uid: string }>(tx, 'select auth.uid()::text as uid');
      const bobSees = (await tx.query('select * from public.notes')).rows.length;
      const bobUpdates = (await tx.query(`update public.notes set body = 'hijacked' returning id`)).rows.length;
      const bobForges = await tx.query(`insert into public.notes (owner_id, body) values ($1, 'forged')`, [alice]).then(
        () => 'inserted',
        (e: Error) => e.message,
      );
      return { alice, bob, who, aliceSees, bobUid: bobUid.uid, bobSees, bobUpdates, bobForges };
    });
    expect(r.who.role).toBe('authenticated');
    expect(r.who.uid).toBe(r.alice);
    expect(r.who.email).toBe('alice@test.dev');
    expect(r.who.jwt_role).toBe('authenticated');
    expect(r.who.claims).toMatchObject({
      sub: r.alice,
      email: 'alice@test.dev',
      phone: '+15550001',
      user_metadata: { plan: 'pro', test_identifier: 'alice' },
      app_metadata: {},
      role: 'authenticated',
      aud: 'authenticated',
    });
    expect(typeof (r.who.claims as { exp: unknown }).exp).toBe('number');
    expect(r.aliceSees).toEqual([{ body: "alice's note", owner_id: r.alice }]);
    expect(r.bobUid).toBe(r.bob);
    expect(r.bobSees).toBe(0);
    expect(r.bobUpdates).toBe(0);
    expect(r.bobForges).toMatch(/row-level security/);
  });

  it('authenticate_as_service_role: role service_role with a service_role claim, no user, RLS bypassed', async () => {
    const r = await rolledBack(async (tx) => {
      await tx.query(`select tests.create_supabase_user('alice')`);
      await tx.query(`select tests.authenticate_as('alice')`);
      await tx.query(`insert into public.notes (body) values ('hers')`);
      await tx.query(`select tests.authenticate_as_service_role()`);
      return one<Record<string, unknown>>(
        tx,
        `select current_user::text as role, auth.uid() as uid, auth.role() as jwt_role,
                current_setting('request.jwt.claims')::jsonb as claims, (select count(*)::int from public.notes) as notes`,
      );
    });
    expect(r).toEqual({ role: 'service_role', uid: null, jwt_role: 'service_role', claims: { role: 'service_role' }, notes: 1 });
  });

  it('clear_authentication goes back to anon with empty claims (as the community helpers do)', async () => {
    const r = await rolledBack(async (tx) => {
      await tx.query(`select tests.create_supabase_user('alice')`);
      await tx.query(`select tests.authenticate_as('alice')`);
      await tx.query(`insert into public.notes (body) values ('hers')`);
      await tx.query(`select tests.clear_authentication()`);
      const who = await one<Record<string, unknown>>(
        tx,
        `select current_user::text as role, auth.uid() as uid, auth.role() as jwt_role, current_setting('request.jwt.claims') as claims`,
      );
      const sees = await tx.query('select * from public.notes').then(
        (x) => `${x.rows.length} rows`,
        (e: Error) => e.message,
      );
      return { who, sees };
    });
    expect(r.who).toEqual({ role: 'anon', uid: null, jwt_role: null, claims: '' });
    expect(r.sees).toMatch(/permission denied|0 rows/);
  });

  it('authentication is transaction-local: after the transaction the session is itself again', async () => {
    // One script on one session: the role and claims set inside the committed transaction must not outlive it.
    await engine.exec(`
      begin;
      ${SEARCH_PATH};
      select tests.create_supabase_user('local-check');
      select tests.authenticate_as('local-check');
      commit;
      create table public.after_auth as
        select current_user::text as role, coalesce(current_setting('request.jwt.claims', true), '') as claims,
               current_setting('search_path') not like 'test_overrides%' as path_ok;
      begin;
      ${SEARCH_PATH};
      select tests.freeze_time('2001-01-01');
      commit;
      create table public.after_freeze as
        select current_setting('search_path') not like 'test_overrides%' as path_ok,
               coalesce(current_setting('tests.frozen_time', true), '') as frozen;`);
    try {
      const auth = await engine.query<{ role: string; claims: string }>('select role, claims from public.after_auth');
      const { rows: self } = await engine.query<{ role: string }>('select current_user::text as role');
      expect(auth.rows).toEqual([{ role: self[0]?.role, claims: '' }]);
      const freeze = await engine.query('select path_ok, frozen from public.after_freeze');
      expect(freeze.rows).toEqual([{ path_ok: true, frozen: '' }]);
    } finally {
      await engine.exec(`drop table public.after_auth; drop table public.after_freeze;
        delete from auth.users where raw_user_meta_data ->> 'test_identifier' = 'local-check'`);
    }
  });

  it('freeze_time freezes now(), transaction_timestamp() and statement_timestamp() in the transaction; unfreeze_time restores them', async () => {
    const r = await rolledBack(async (tx) => {
      const path = (await one<{ p: string }>(tx, `select current_setting('search_path') as p`)).p;
      await tx.query(`select tests.freeze_time('2020-01-01 12:00:00+00')`);
      const frozen = await one<Record<string, string | boolean>>(
        tx,
        `select now() = '2020-01-01 12:00:00+00'::timestamptz as now, transaction_timestamp() = '2020-01-01 12:00:00+00' as tx,
                statement_timestamp() = '2020-01-01 12:00:00+00' as stmt, public.note_stamp() = '2020-01-01 12:00:00+00' as plpgsql,
                current_setting('search_path') as path,
                current_timestamp = pg_catalog.now() as keyword_unfrozen, public.pinned_stamp() = pg_catalog.now() as pinned_unfrozen`,
      );
      // A table created while frozen binds test_overrides.now() into its default; one created before did not.
      await tx.exec(`create table public.frozen_later (id int, at timestamptz default now())`);
      await tx.query(`insert into public.frozen_later (id) values (1)`);
      await tx.query(`select tests.create_supabase_user('alice')`);
      await tx.query(`select tests.authenticate_as('alice')`); // works for the API roles too
      await tx.query(`insert into public.notes (body) values ('while frozen')`);
      const asUser = await one<Record<string, boolean>>(
        tx,
        `select now() = '2020-01-01 12:00:00+00'::timestamptz as now,
                (select created_at = pg_catalog.now() from public.notes) as old_default_unfrozen`,
      );
      await tx.query(`select tests.authenticate_as_service_role()`);
      await tx.exec('reset role'); // auth.users is read as its owner (the API roles may not read it, as on the platform)
      const later = await one<{ at: string; user_created: boolean }>(
        tx,
        `select (select at = '2020-01-01 12:00:00+00' from public.frozen_later) as at,
                (select created_at = '2020-01-01 12:00:00+00' from auth.users where raw_user_meta_data ->> 'test_identifier' = 'alice') as user_created`,
      );
      // A second freeze moves the clock (a date: midnight where the freeze ran); a later time zone change keeps the instant.
      await tx.exec(`set local time zone 'UTC'`);
      await tx.query(`select tests.freeze_time('2021-06-15'::date)`);
      await tx.exec(`set local time zone 'Asia/Tokyo'`);
      const moved = await one<{ same: boolean; shown: string }>(
        tx,
        `select now() = '2021-06-15 00:00:00+00'::timestamptz as same, to_char(now(), 'YYYY-MM-DD HH24:MI TZH') as shown`,
      );
      await tx.query(`select tests.unfreeze_time()`);
      const after = await one<{ real: boolean; path: string }>(
        tx,
        `select now() = pg_catalog.now() as real, current_setting('search_path') as path`,
      );
      return { path, frozen, asUser, later, moved, after };
    });
    expect(r.frozen).toMatchObject({ now: true, tx: true, stmt: true, plpgsql: true, keyword_unfrozen: true, pinned_unfrozen: true });
    expect(r.frozen.path).toBe(`test_overrides, ${r.path}, pg_catalog`);
    expect(r.asUser).toEqual({ now: true, old_default_unfrozen: true });
    expect(r.later).toEqual({ at: true, user_created: true });
    expect(r.moved).toEqual({ same: true, shown: '2021-06-15 09:00 +09' });
    expect(r.after).toEqual({ real: true, path: r.path });
  });

  it('rls_enabled(schema) and rls_enabled(schema, table) are pgTAP tests that pass and fail', async () => {
    const lines = await rolledBack(async (tx) => {
      await tx.query('select plan(7)');
      const out: string[] = [];
      for (const call of [
        `tests.rls_enabled('rls_all')`,
        `tests.rls_enabled('rls_mixed')`,
        `tests.rls_enabled('rls_mixed', 'secured')`,
        `tests.rls_enabled('rls_mixed', 'open_one')`,
        `tests.rls_enabled('no_such_schema')`,
        `tests.rls_enabled('rls_all', 'no_such_table')`,
      ]) {
        out.push((await one<{ t: string }>(tx, `select ${call} as t`)).t);
      }
      await tx.exec('set local role anon'); // usable by the API roles
      out.push((await one<{ t: string }>(tx, `select tests.rls_enabled('rls_all', 'a') as t`)).t);
      return out;
    });
    expect(lines[0]).toBe('ok 1 - All tables in the rls_all schema should have row level security enabled');
    expect(lines[1]).toMatch(/^not ok 2 - All tables in the rls_mixed schema should have row level security enabled\n/);
    expect(lines[1]).toContain('have: {open_one,open_two}');
    expect(lines[2]).toBe('ok 3 - secured table in the rls_mixed schema should have row level security enabled');
    expect(lines[3]).toMatch(/^not ok 4 - open_one table in the rls_mixed schema/);
    expect(lines[4]).toMatch(/^not ok 5 - [\s\S]*\n# +schema no_such_schema does not exist/);
    expect(lines[5]).toMatch(/^not ok 6 - no_such_table table in the rls_all schema/);
    expect(lines[6]).toBe('ok 7 - a table in the rls_all schema should have row level security enabled');
  });

  it('a community-style suite using every helper passes under pgTAP', async () => {
    const tap = await rolledBack(async (tx) => {
      const out = [(await one<{ t: string }>(tx, 'select plan(12) as t')).t];
      const steps = [
        `select tests.create_supabase_user('owner', 'owner@test.dev')`,
        `select tests.create_supabase_user('other')`,
        `select throws_ok($$ select tests.authenticate_as('ghost') $$, 'User with identifier ghost not found')`,
        `select lives_ok($$ select tests.authenticate_as('owner') $$, 'authenticate as owner')`,
        `select is(auth.uid(), tests.get_supabase_uid('owner'), 'auth.uid() is the owner')`,
        `select is(current_setting('request.jwt.claims')::jsonb ?& array['sub', 'email', 'phone', 'user_metadata', 'app_metadata'], true, 'claims keys')`,
        `select lives_ok($$ insert into public.notes (body) values ('mine') $$, 'owner writes a note')`,
        `select tests.authenticate_as('other')`,
        `select is_empty('select * from public.notes', 'other sees none')`,
        `select tests.freeze_time('2020-01-01 00:00:00')`,
        `select is(now(), '2020-01-01 00:00:00'::timestamptz, 'now() is frozen')`,
        `select tests.unfreeze_time()`,
        `select is(now(), pg_catalog.now(), 'now() is real again')`,
        `select tests.clear_authentication()`,
        `select is(current_user::text, 'anon', 'back to anon')`,
        `select tests.authenticate_as_service_role()`,
        `select is((select count(*)::int from public.notes), 1, 'service_role sees the note')`,
        `select tests.rls_enabled('public')`,
        `select tests.rls_enabled('public', 'notes')`,
        `select * from finish()`,
      ];
      for (const s of steps) {
        const res = await tx.query<Record<string, unknown>>(s);
        for (const row of res.rows) {
          const v = Object.values(row)[0];
          if (typeof v === 'string' && /^(not )?ok |^#/.test(v)) out.push(v);
        }
      }
      return out;
    });
    expect(tap[0]).toBe('1..12');
    expect(tap.filter((l) => l.startsWith('ok '))).toHaveLength(12);
    expect(tap.filter((l) => l.startsWith('not ok') || l.startsWith('#'))).toEqual([]);
  });
});
