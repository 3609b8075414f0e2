/**
 * Database webhooks, as the platform installs them when they are enabled (the Supabase CLI's webhook.sql, with the
 * platform's later grants): schema `supabase_functions`, its `migrations` and `hooks` tables (and hooks_id_seq), and the
 * trigger function `supabase_functions.http_request(url, method, headers, params, timeout_ms)` that projects attach to
 * tables. Keel's http_request never sends anything: it validates its arguments as the platform's does, builds the same
 * payload, queues the request in `net.http_request_queue` through Keel's pg_net stand-in when that is installed, and
 * otherwise (no pg_net, or the real one, which would send it) records it in `supabase_functions.keel_requests`; either
 * way it logs the call in `hooks`, as the platform does.
 */
export const WEBHOOKS_SQL = `
create schema if not exists supabase_functions;
create table if not exists supabase_functions.migrations (version text primary key, inserted_at timestamptz not null default now());
insert into supabase_functions.migrations (version) values ('initial'), ('20210809183423_update_grants'),
  ('20240115163000_add_retry_to_http_request') on conflict do nothing;
create table if not exists supabase_functions.hooks (
  id bigserial primary key,
  hook_table_id integer not null,
  hook_name text not null,
  created_at timestamptz not null default now(),
  request_id bigint);
comment on table supabase_functions.hooks is 'Supabase Functions Hooks: Audit trail for triggered hooks.';
create index if not exists supabase_functions_hooks_request_id_idx on supabase_functions.hooks (request_id);
create index if not exists supabase_functions_hooks_h_table_id_h_name_idx on supabase_functions.hooks (hook_table_id, hook_name);
create table if not exists supabase_functions.keel_requests (
  id bigserial primary key,
  method text not null,
  url text not null,
  headers jsonb not null,
  params jsonb not null,
  body jsonb,
  timeout_milliseconds integer not null,
  created_at timestamptz not null default now());
comment on table supabase_functions.keel_requests is 'Keel: webhook requests supabase_functions.http_request() recorded instead of sending (no pg_net here).';
create or replace function supabase_functions.http_request() returns trigger
language plpgsql security definer set search_path = supabase_functions as $keel$
declare
  request_id bigint;
  payload jsonb;
  url text := tg_argv[0]::text;
  method text := tg_argv[1]::text;
  headers jsonb;
  params jsonb;
  timeout_ms integer;
begin
  if url is null or url = 'null' then
    raise exception 'url argument is missing';
  end if;
  if method is null or method = 'null' then
    raise exception 'method argument is missing';
  end if;
  headers := case when tg_argv[2] is null or tg_argv[2] = 'null' then '{"Content-Type": "application/json"}'::jsonb else tg_argv[2]::jsonb end;
  params := case when tg_argv[3] is null or tg_argv[3] = 'null' then '{}'::jsonb else tg_argv[3]::jsonb end;
  timeout_ms := case when tg_argv[4] is null or tg_argv[4] = 'null' then 1000 else tg_argv[4]::integer end;
  if method = 'POST' then
    payload := jsonb_build_object('old_record', old, 'record', new, 'type', tg_op, 'table', tg_table_name, 'schema', tg_table_schema);
  elsif method <> 'GET' then
    raise exception 'method argument % is invalid', method;
  end if;
  -- Keel's pg_net stand-in records the request in net.http_request_queue; the real pg_net would send it: never call that
  if coalesce(obj_description(to_regnamespace('net'), 'pg_namespace'), '') like 'Keel stand-in%'
     and to_regprocedure('net.http_post(text, jsonb, jsonb, jsonb, integer)') is not null then
    if method = 'GET' then
      execute 'select net.http_get($1, $2, $3, $4)' into request_id using url, params, headers, timeout_ms;
    else
      execute 'select net.http_post($1, $2, $3, $4, $5)' into request_id using url, payload, params, headers, timeout_ms;
    end if;
  else
    insert into supabase_functions.keel_requests (method, url, headers, params, body, timeout_milliseconds)
    values (method, url, headers, params, payload, timeout_ms) returning id into request_id;
  end if;
  insert into supabase_functions.hooks (hook_table_id, hook_name, request_id) values (tg_relid, tg_name, request_id);
  return new;
end $keel$;
revoke all on function supabase_functions.http_request() from public;
grant usage on schema supabase_functions to {postgres}anon, authenticated, service_role;
grant all on schema supabase_functions to supabase_functions_admin;
grant all on all tables in schema supabase_functions to {postgres}anon, authenticated, service_role, supabase_functions_admin;
grant all on all sequences in schema supabase_functions to {postgres}anon, authenticated, service_role, supabase_functions_admin;
grant execute on function supabase_functions.http_request() to {postgres}anon, authenticated, service_role;`;
