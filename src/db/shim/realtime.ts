/**
 * Realtime as projects see it (supabase/realtime v2.129): the `supabase_realtime` publication (empty, as on a new
 * project: migrations `alter publication supabase_realtime add table …`), and schema `realtime` with `realtime.messages`
 * (projects put RLS policies on it for private channels), `realtime.topic()`, `realtime.send()` and
 * `realtime.broadcast_changes()`, which record the broadcast as a row of realtime.messages, as on the platform. Nothing
 * is delivered: no realtime server listens. realtime.messages is one plain table here (the platform partitions it by
 * day and drops old partitions); the replication internals (subscription, apply_rls, list_changes) are left out.
 */
export const REALTIME_SQL = `
do $keel$ begin
  if not exists (select from pg_publication where pubname = 'supabase_realtime') then
    create publication supabase_realtime;
  end if;
end $keel$;
create schema if not exists realtime;
create table if not exists realtime.schema_migrations (version bigint not null primary key, inserted_at timestamp(0));
create table if not exists realtime.messages (
  topic text not null,
  extension text not null,
  payload jsonb,
  event text,
  private boolean default false,
  updated_at timestamp not null default now(),
  inserted_at timestamp not null default now(),
  id uuid not null default gen_random_uuid(),
  binary_payload bytea,
  constraint messages_pkey primary key (id, inserted_at),
  constraint messages_payload_exclusive check (payload is null or binary_payload is null));
create index if not exists messages_inserted_at_topic_index on realtime.messages (inserted_at desc, topic)
  where extension = 'broadcast' and private is true;
alter table realtime.messages enable row level security;
create or replace function realtime.topic() returns text language sql stable as $keel$
  select nullif(current_setting('realtime.topic', true), '')::text
$keel$;
create or replace function realtime.send(payload jsonb, event text, topic text, private boolean default true) returns void
language plpgsql as $keel$
declare generated_id uuid := gen_random_uuid();
begin
  begin
    perform set_config('realtime.topic', topic, true);
    insert into realtime.messages (id, payload, event, topic, private, extension)
    values (generated_id, case when payload ? 'id' then payload else jsonb_set(payload, '{id}', to_jsonb(generated_id)) end,
            event, topic, private, 'broadcast');
  exception when others then
    raise warning 'ErrorSendingBroadcastMessage: %', sqlerrm;
  end;
end $keel$;
create or replace function realtime.broadcast_changes(topic_name text, event_name text, operation text, table_name text,
    table_schema text, new record, old record, level text default 'ROW') returns void
language plpgsql as $keel$
begin
  if level = 'STATEMENT' then
    raise exception 'function can only be triggered for each row, not for each statement';
  end if;
  if operation in ('INSERT', 'UPDATE', 'DELETE') then
    perform realtime.send(jsonb_build_object('old_record', old, 'record', new, 'operation', operation,
      'table', table_name, 'schema', table_schema), event_name, topic_name);
  else
    raise exception 'Unexpected operation type: %', operation;
  end if;
end $keel$;
grant usage on schema realtime to {postgres}anon, authenticated, service_role;
grant all on schema realtime to supabase_realtime_admin, dashboard_user;
grant select, insert, update on realtime.messages to {postgres}anon, authenticated, service_role;
grant select on realtime.schema_migrations to {postgres}anon, authenticated, service_role;
grant all on all tables in schema realtime to supabase_realtime_admin, dashboard_user;
grant execute on all functions in schema realtime to {postgres}anon, authenticated, service_role, supabase_realtime_admin;`;
