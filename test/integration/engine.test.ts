import { afterEach, describe, expect, it } from 'vitest';
import { DbError, installShim, openEngine, type Engine } from '../../src/index.js';
import { createTestDatabase, engineNames, type TestDatabase } from '../support/postgres.js';

/** The engine contract every feature relies on, checked on each engine. */
describe.each(engineNames)('engine contract on %s', (engineName) => {
  let engine: Engine | undefined;
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await engine?.close();
    await db?.drop();
    engine = undefined;
    db = undefined;
  });

  async function open(): Promise<Engine> {
    if (engineName === 'pglite') return (engine = await openEngine({ kind: 'pglite', memory: true }));
    db = await createTestDatabase('engine');
    return (engine = await openEngine({ kind: 'postgres', url: db.url }));
  }

  it('runs parameterised queries and scripts, and returns the same value shapes', async () => {
    const e = await open();
    await e.exec(
      'create table t (id bigint primary key, n numeric, at timestamptz, tags text[], doc jsonb, ok boolean); create index on t (n)',
    );
    const ins = await e.query('insert into t values ($1, $2, $3, $4, $5, $6)', [
      1,
      '1.50',
      '2026-01-02T03:04:05Z',
      ['a', 'b'],
      { k: 1 },
      true,
    ]);
    expect(ins.affectedRows).toBe(1);
    const { rows } = await e.query(`select id, n, at, tags, doc, ok, 'x'::text as s, 7::int as i from t`);
    expect(rows).toEqual([{ id: '1', n: '1.50', at: '2026-01-02 03:04:05+00', tags: ['a', 'b'], doc: { k: 1 }, ok: true, s: 'x', i: 7 }]);
  });

  it('commits a transaction, rolls back on error, and keeps the Postgres error fields', async () => {
    const e = await open();
    await e.exec('create table t (id int primary key)');
    await e.transaction(async (tx) => {
      await tx.query('insert into t values (1)');
    });
    let caught: unknown;
    try {
      await e.transaction(async (tx) => {
        await tx.query('insert into t values (2)');
        await tx.query('insert into t values (1)');
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DbError);
    expect((caught as DbError).code).toBe('23505');
    expect((caught as DbError).constraint).toBe('t_pkey');
    expect((await e.query('select count(*)::int as n from t')).rows).toEqual([{ n: 1 }]);
    // the engine is usable after a failed transaction
    const bad = await e.query('select (1').catch((err: DbError) => err);
    expect(bad).toMatchObject({ code: '42601', position: 10 });
  });

  it('installs the Supabase shim idempotently, and auth.uid() reads both claim styles', async () => {
    const e = await open();
    expect((await e.transaction((tx) => installShim(tx))).mode).toBe('installed');
    expect((await e.transaction((tx) => installShim(tx))).mode).toBe('installed');
    const uid = '00000000-0000-0000-0000-0000000000aa';
    const r = await e.transaction(async (tx) => {
      await tx.query(`select set_config('request.jwt.claims', $1, true)`, [
        JSON.stringify({ sub: uid, role: 'authenticated', email: 'a@b.c' }),
      ]);
      await tx.exec('set local role authenticated');
      return (await tx.query('select auth.uid()::text as uid, auth.role() as role, auth.email() as email, current_user as who')).rows[0];
    });
    expect(r).toEqual({ uid, role: 'authenticated', email: 'a@b.c', who: 'authenticated' });
    const legacy = await e.transaction(async (tx) => {
      await tx.query(`select set_config('request.jwt.claim.sub', $1, true)`, [uid]);
      return (await tx.query('select auth.uid()::text as uid')).rows[0];
    });
    expect(legacy).toEqual({ uid });
    expect(
      (
        await e.query(
          `select extensions.uuid_generate_v4() is not null as ok, (select rolbypassrls from pg_roles where rolname = 'service_role') as bypass`,
        )
      ).rows,
    ).toEqual([{ ok: true, bypass: true }]);
    expect(e.capabilities.local).toBe(true);
    expect(e.capabilities.advisoryLocks).toBe(engineName === 'postgres');
  });

  it("installs nothing but public's grants on a database that already has Supabase's own auth schema", async () => {
    const e = await open();
    await e.exec(`create schema auth; create function auth.uid() returns uuid language sql as 'select null::uuid';
      do $$ begin create role anon nologin; exception when duplicate_object then null; end $$;
      do $$ begin create role authenticated nologin; exception when duplicate_object then null; end $$;
      do $$ begin create role service_role nologin; exception when duplicate_object then null; end $$;
      drop schema public cascade`);
    expect((await e.transaction((tx) => installShim(tx))).mode).toBe('supabase');
    expect(
      (
        await e.query(`select to_regclass('auth.users') is null as no_users, to_regnamespace('extensions') is null as no_ext,
      to_regnamespace('public') is not null as has_public`)
      ).rows,
    ).toEqual([{ no_users: true, no_ext: true, has_public: true }]);
  });
});
