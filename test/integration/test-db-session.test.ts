/**
 * Engine.session, which `keel test db` runs each file on: autocommit, and a fresh session every time. On a server it
 * is a new connection; on PGlite (one session) the state a session holds is reset around it. Each kind of session state
 * is left behind by one session and looked for in the next.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/db/engine.js';
import { openEngine } from '../../src/db/open.js';
import { installShim } from '../../src/db/shim/supabase-shim.js';
import { testDb } from '../../src/index.js';
import { createTestDatabase, engineNames, type TestDatabase } from '../support/postgres.js';
import { makeProject } from '../support/projects.js';

describe.each(engineNames)('Engine.session on %s', (kind) => {
  let engine: Engine;
  let db: TestDatabase | undefined;

  beforeAll(async () => {
    if (kind === 'postgres') {
      db = await createTestDatabase('session');
      engine = await openEngine({ kind: 'postgres', url: db.url });
    } else {
      engine = await openEngine({ kind: 'pglite', memory: true });
    }
    // the shim sets the database's search_path (alter database): a new session must get it
    await engine.transaction((tx) => installShim(tx));
    await engine.exec('create table public.seen (id int primary key); create sequence public.counter');
  });
  afterAll(async () => {
    await engine?.close();
    await db?.drop();
  });

  it('autocommit: what one session runs outside a transaction is committed; what it leaves open or aborted is not', async () => {
    await engine.session(async (s) => {
      await s.exec('insert into public.seen values (1)');
      await s.exec('begin');
      await s.exec('insert into public.seen values (2)'); // left open
    });
    await engine.session(async (s) => {
      await s.exec('begin');
      await s.exec('insert into public.seen values (3)');
      await s.query('select 1 / 0').catch(() => undefined); // left aborted
    });
    const after = await engine.session((s) => s.query<{ ids: number[] }>('select array_agg(id order by id) as ids from public.seen'));
    expect(after.rows[0]!.ids).toEqual([1]);
  });

  it('a new session holds nothing an earlier one set: prepared statements, role, settings, temp objects, listeners, locks, cursors, sequences', async () => {
    await engine.session(async (s) => {
      await s.exec(`prepare q as select 1`);
      await s.exec(`create temp table leftover (id int)`);
      await s.exec(`create function pg_temp.leftover_fn() returns int language sql as 'select 1'`);
      await s.exec(`listen leftover_channel`);
      await s.query(`select pg_advisory_lock(42)`);
      await s.exec(`begin; declare c cursor with hold for select 1; commit`);
      await s.query(`select nextval('public.counter')`);
      await s.exec(`set request.jwt.claim.sub = '00000000-0000-0000-0000-000000000001'`);
      await s.exec(`set statement_timeout = '123s'`);
      await s.exec(`set search_path = public`);
      await s.exec(`set role authenticated`);
    });
    const { rows } = await engine.session((s) =>
      s.query<Record<string, unknown>>(
        `select (select count(*)::int from pg_prepared_statements) as prepared,
                current_user = session_user as login_role,
                auth.uid() as uid,
                current_setting('statement_timeout') as timeout,
                'extensions' = any(current_schemas(false)) as extensions_on_path,
                to_regclass('pg_temp.leftover') is null as no_temp_table,
                (select count(*)::int from pg_proc where proname = 'leftover_fn') as temp_functions,
                (select count(*)::int from pg_listening_channels()) as listening,
                (select count(*)::int from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()) as advisory_locks,
                (select count(*)::int from pg_cursors where name <> '') as cursors`,
      ),
    );
    expect(rows[0]).toEqual({
      prepared: 0,
      login_role: true,
      uid: null,
      timeout: '0',
      extensions_on_path: true,
      no_temp_table: true,
      temp_functions: 0,
      listening: 0,
      advisory_locks: 0,
      cursors: 0,
    });
    const lastval = await engine.session((s) =>
      s.query('select lastval()').then(
        () => 'defined',
        (e: Error) => e.message,
      ),
    );
    expect(lastval).toBe('lastval is not yet defined in this session');
  });

  it('the engine is usable as before after a session, and a session after a failed one', async () => {
    await expect(engine.session(async () => Promise.reject(new Error('the caller failed')))).rejects.toThrow('the caller failed');
    const { rows } = await engine.query<{ n: number }>('select count(*)::int as n from public.seen');
    expect(rows[0]!.n).toBe(1);
    const role = await engine.transaction((tx) => tx.query<{ r: string }>('select current_user::text as r'));
    const inSession = await engine.session((s) => s.query<{ r: string }>('select current_user::text as r'));
    expect(inSession.rows[0]!.r).toBe(role.rows[0]!.r);
  });

  it("keel test db gives each file's session the encryption key (KEEL_ENCRYPTION_KEY) for all its statements, outside a transaction too", async () => {
    const p = makeProject({
      'tests/a.sql': `select plan(1);
select is(keel.decrypt_secret(keel.encrypt_secret('s3cret')), 's3cret', 'the key reaches a statement outside any transaction');
`,
    });
    const url = kind === 'postgres' ? { dbUrl: db!.url, yes: true } : { memory: true };
    const r = await testDb({ cwd: p.root, ...url, env: { KEEL_ENCRYPTION_KEY: 'k-for-tests' } });
    expect(r.files.map((f) => [f.ok, f.error?.message ?? null])).toEqual([[true, null]]);
  });
});
