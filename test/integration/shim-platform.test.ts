/**
 * The shim's auth, realtime, webhooks, vault, graphql_public and roles, on both engines: a `supabase db dump
 * --data-only` style seed loads, `alter publication supabase_realtime add table`, a webhook trigger records its request,
 * vault secrets round-trip encrypted, migrations grant to and `alter … owner to` every platform role, and the shim
 * installs twice without error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installShim, openEngine, type Engine } from '../../src/index.js';
import { wipeDatabase } from '../../src/features/migrate/reset.js';
import { PLATFORM_ROLES } from '../../src/db/shim/roles.js';
import { createTestDatabase, engineNames, type TestDatabase } from '../support/postgres.js';

const UID = '9b1f6c1e-1c1a-4c55-9a55-3f7c2d6c0a01';
/** As `supabase db dump --data-only --use-copy=false` writes it: every column named, in table order. */
const DUMP_SEED = `
SET session_replication_role = replica;
INSERT INTO "auth"."users" ("instance_id", "id", "aud", "role", "email", "encrypted_password", "email_confirmed_at", "invited_at", "confirmation_token", "confirmation_sent_at", "recovery_token", "recovery_sent_at", "email_change_token_new", "email_change", "email_change_sent_at", "last_sign_in_at", "raw_app_meta_data", "raw_user_meta_data", "is_super_admin", "created_at", "updated_at", "phone", "phone_confirmed_at", "phone_change", "phone_change_token", "phone_change_sent_at", "email_change_token_current", "email_change_confirm_status", "banned_until", "reauthentication_token", "reauthentication_sent_at", "is_sso_user", "deleted_at", "is_anonymous") VALUES
	('00000000-0000-0000-0000-000000000000', '${UID}', 'authenticated', 'authenticated', 'ada@example.com', '$2a$10$abcdefghijklmnopqrstuv', '2024-05-01 10:00:00.000000+00', NULL, '', NULL, '', NULL, '', '', NULL, '2024-05-02 09:00:00.000000+00', '{"provider": "email", "providers": ["email"]}', '{"name": "Ada"}', NULL, '2024-05-01 10:00:00+00', '2024-05-02 09:00:00+00', NULL, NULL, '', '', NULL, '', 0, NULL, '', NULL, false, NULL, false);
INSERT INTO "auth"."identities" ("provider_id", "user_id", "identity_data", "provider", "last_sign_in_at", "created_at", "updated_at", "id") VALUES
	('${UID}', '${UID}', '{"sub": "${UID}", "email": "Ada@Example.com", "email_verified": true}', 'email', '2024-05-01 10:00:00+00', '2024-05-01 10:00:00+00', '2024-05-01 10:00:00+00', 'a3c1a1f0-0000-4000-8000-000000000001');
INSERT INTO "auth"."sessions" ("id", "user_id", "created_at", "updated_at", "factor_id", "aal", "not_after", "refreshed_at", "user_agent", "ip", "tag") VALUES
	('5e551011-0000-4000-8000-000000000001', '${UID}', '2024-05-02 09:00:00+00', '2024-05-02 09:00:00+00', NULL, 'aal1', NULL, NULL, 'curl', '127.0.0.1', NULL);
INSERT INTO "auth"."refresh_tokens" ("instance_id", "id", "token", "user_id", "revoked", "created_at", "updated_at", "parent", "session_id") VALUES
	('00000000-0000-0000-0000-000000000000', 7, 'tok', '${UID}', false, '2024-05-02 09:00:00+00', '2024-05-02 09:00:00+00', NULL, '5e551011-0000-4000-8000-000000000001');
SELECT pg_catalog.setval('"auth"."refresh_tokens_id_seq"', 7, true);
RESET ALL;`;

describe.each(engineNames)('shim platform surface on %s', (engineName) => {
  let engine: Engine;
  let db: TestDatabase | undefined;

  beforeAll(async () => {
    if (engineName === 'pglite') engine = await openEngine({ kind: 'pglite', memory: true });
    else {
      db = await createTestDatabase('shim_platform');
      engine = await openEngine({ kind: 'postgres', url: db.url });
    }
    expect((await engine.transaction((tx) => installShim(tx))).mode).toBe('installed');
  });
  afterAll(async () => {
    await engine?.close();
    await db?.drop();
  });

  it('installs a second time with no error and stays current', async () => {
    expect((await engine.transaction((tx) => installShim(tx))).mode).toBe('installed');
    const { rows } = await engine.query(`select obj_description('auth'::regnamespace, 'pg_namespace') as c`);
    expect(rows[0]!.c).toMatch(/^keel: supabase shim v\d+$/);
  });

  it('loads a dump-style seed into auth.users, identities, sessions and refresh_tokens with every column', async () => {
    await engine.transaction((tx) => tx.exec(DUMP_SEED));
    const { rows } = await engine.query(`select u.confirmed_at = u.email_confirmed_at as confirmed, i.email, u.is_anonymous,
      (select count(*)::int from auth.refresh_tokens) as tokens, nextval('auth.refresh_tokens_id_seq')::int as next
      from auth.users u join auth.identities i on i.user_id = u.id`);
    expect(rows).toEqual([{ confirmed: true, email: 'ada@example.com', is_anonymous: false, tokens: 1, next: 8 }]);
    const types = await engine.query(`select typname from pg_type where typnamespace = 'auth'::regnamespace and typtype = 'e' order by 1`);
    expect(types.rows.map((t) => t.typname)).toEqual(
      expect.arrayContaining(['aal_level', 'factor_status', 'factor_type', 'one_time_token_type']),
    );
    const tables = await engine.query(`select count(*)::int as n from pg_tables where schemaname = 'auth' and tablename = any($1)`, [
      [
        'mfa_factors',
        'mfa_challenges',
        'mfa_amr_claims',
        'audit_log_entries',
        'instances',
        'schema_migrations',
        'one_time_tokens',
        'flow_state',
      ],
    ]);
    expect(tables.rows).toEqual([{ n: 8 }]);
  });

  it('lets a migration add a table to the supabase_realtime publication, and realtime.send records a broadcast', async () => {
    await engine.transaction((tx) =>
      tx.exec(`create table public.rooms (id int primary key);
      alter publication supabase_realtime add table public.rooms;
      select realtime.send('{"x": 1}', 'hello', 'room:1', false);`),
    );
    const { rows } =
      await engine.query(`select (select array_agg(tablename::text) from pg_publication_tables where pubname = 'supabase_realtime') as tables,
      (select count(*)::int from realtime.messages where topic = 'room:1' and event = 'hello') as sent`);
    expect(rows).toEqual([{ tables: ['rooms'], sent: 1 }]);
  });

  it('records a database webhook fired through supabase_functions.http_request, sending nothing', async () => {
    await engine.transaction((tx) =>
      tx.exec(`create table public.orders (id int primary key, total int);
      create trigger order_webhook after insert on public.orders for each row execute function
        supabase_functions.http_request('https://example.com/hook', 'POST', '{"Content-Type":"application/json"}', '{}', '1000');
      insert into public.orders values (1, 42);`),
    );
    const { rows } =
      await engine.query(`select h.hook_name, r.method, r.url, r.body -> 'record' ->> 'total' as total, r.body ->> 'type' as type
      from supabase_functions.hooks h join supabase_functions.keel_requests r on r.id = h.request_id`);
    expect(rows).toEqual([{ hook_name: 'order_webhook', method: 'POST', url: 'https://example.com/hook', total: '42', type: 'INSERT' }]);
    const bad = await engine
      .transaction((tx) =>
        tx.exec(`create trigger bad_hook after insert on public.orders for each row execute function
        supabase_functions.http_request('null', 'POST'); insert into public.orders values (2, 1);`),
      )
      .catch((e: Error) => e);
    expect(String(bad)).toContain('url argument is missing');
  });

  it('keeps vault secrets encrypted and decrypts them through vault.decrypted_secrets', async () => {
    const { rows } = await engine.query<{ id: string }>(`select vault.create_secret('s3cr3t', 'api_key', 'the key') as id`);
    await engine.query(`select vault.update_secret($1, new_description => 'rotated')`, [rows[0]!.id]);
    const r = await engine.query(`select s.secret <> 's3cr3t' as hidden, d.decrypted_secret, d.description
      from vault.secrets s join vault.decrypted_secrets d using (id) where s.name = 'api_key'`);
    expect(r.rows).toEqual([{ hidden: true, decrypted_secret: 's3cr3t', description: 'rotated' }]);
    const anon = await engine.query(`select has_function_privilege('anon', 'vault.create_secret(text,text,text,uuid)', 'execute') as can`);
    expect(anon.rows).toEqual([{ can: false }]);
  });

  it('has graphql_public.graphql(), schema pgsodium, and every platform role that migrations grant to or alter owner to', async () => {
    const g = await engine.query(
      `select graphql_public.graphql(query => '{ x }') -> 'errors' -> 0 ->> 'message' as m, to_regnamespace('pgsodium') is not null as sodium`,
    );
    expect(g.rows).toEqual([{ m: 'pg_graphql extension is not enabled.', sodium: true }]);
    const grants = PLATFORM_ROLES.map(([r]) => `grant select on public.rooms to ${r};`).join('\n');
    await engine.transaction((tx) =>
      tx.exec(`${grants}
      create function public.f() returns int language sql as 'select 1';
      alter function public.f() owner to supabase_admin;
      alter table public.rooms owner to supabase_auth_admin;
      alter table public.orders owner to supabase_storage_admin;`),
    );
    const { rows } =
      await engine.query(`select pg_has_role('authenticator', 'anon', 'member') as a, pg_has_role('authenticator', 'service_role', 'member') as s,
      (select rolbypassrls from pg_roles where rolname = 'service_role') as bypass,
      (select pg_get_userbyid(relowner) from pg_class where oid = 'auth.users'::regclass) as users_owner`);
    expect(rows).toEqual([{ a: true, s: true, bypass: true, users_owner: 'supabase_auth_admin' }]);
  });

  it('a reset empties auth, vault and the webhook log, restarting their sequences', async () => {
    await engine.transaction((tx) => wipeDatabase(tx));
    const { rows } = await engine.query(`select (select count(*)::int from auth.users) + (select count(*)::int from auth.identities)
      + (select count(*)::int from vault.secrets) + (select count(*)::int from supabase_functions.hooks) as left,
      nextval('auth.refresh_tokens_id_seq')::int as next`);
    expect(rows).toEqual([{ left: 0, next: 1 }]);
  });
});
