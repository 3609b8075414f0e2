/**
 * pgmq, written by Keel (pgmq 1.x is plain SQL and PL/pgSQL): a faithful subset that really queues. Schema `pgmq`
 * with `pgmq.meta`, a `pgmq.q_<queue>` and `pgmq.a_<queue>` table per queue (pgmq 1.4's columns), the type
 * `pgmq.message_record`, and `create`, `create_unlogged`, `drop_queue`, `list_queues`, `send`, `send_batch`, `read`,
 * `pop`, `set_vt`, `archive`, `delete` (one id or an array) and `purge_queue`. Left out: partitioned queues
 * (`create_partitioned`, which needs pg_partman), `read_with_poll`, `metrics`, message headers (pgmq 1.5+).
 */
export function pgmqSql(): string {
  return `create schema pgmq;
comment on schema pgmq is 'pgmq (Keel''s SQL subset: queues work; no partitioned queues, polling or metrics)';
create table pgmq.meta (
  queue_name varchar unique not null,
  is_partitioned boolean not null,
  is_unlogged boolean not null,
  created_at timestamptz not null default now()
);
create type pgmq.message_record as (msg_id bigint, read_ct integer, enqueued_at timestamptz, vt timestamptz, message jsonb);
create type pgmq.queue_record as (queue_name varchar, is_partitioned boolean, is_unlogged boolean, created_at timestamptz);
create function pgmq._table(queue_name text, prefix text) returns text language plpgsql immutable as $keel$
begin
  if queue_name is null or queue_name !~ '^[A-Za-z0-9_]+$' then
    raise exception 'queue name contains invalid characters: %', queue_name using hint = 'use letters, digits and _';
  end if;
  if length(queue_name) >= 48 then
    raise exception 'queue name is too long, maximum length is 47 characters';
  end if;
  return prefix || lower(queue_name);
end
$keel$;
create function pgmq._create(queue_name text, unlogged boolean) returns void language plpgsql as $keel$
declare
  q text := pgmq._table(queue_name, 'q_');
  a text := pgmq._table(queue_name, 'a_');
begin
  execute format('create %s table if not exists pgmq.%I (
      msg_id bigint primary key generated always as identity,
      read_ct integer default 0 not null,
      enqueued_at timestamptz default now() not null,
      vt timestamptz not null,
      message jsonb)', case when unlogged then 'unlogged' else '' end, q);
  execute format('create table if not exists pgmq.%I (
      msg_id bigint primary key,
      read_ct integer default 0 not null,
      enqueued_at timestamptz default now() not null,
      archived_at timestamptz default now() not null,
      vt timestamptz not null,
      message jsonb)', a);
  execute format('create index if not exists %I on pgmq.%I (vt asc)', q || '_vt_idx', q);
  execute format('create index if not exists %I on pgmq.%I (archived_at)', 'archived_at_idx_' || lower(queue_name), a);
  insert into pgmq.meta as m (queue_name, is_partitioned, is_unlogged) values (_create.queue_name, false, _create.unlogged) on conflict on constraint meta_queue_name_key do nothing;
end
$keel$;
create function pgmq."create"(queue_name text) returns void language sql as $keel$ select pgmq._create(queue_name, false) $keel$;
create function pgmq.create_unlogged(queue_name text) returns void language sql as $keel$ select pgmq._create(queue_name, true) $keel$;
create function pgmq.drop_queue(queue_name text) returns boolean language plpgsql as $keel$
begin
  execute format('drop table if exists pgmq.%I', pgmq._table(queue_name, 'q_'));
  execute format('drop table if exists pgmq.%I', pgmq._table(queue_name, 'a_'));
  delete from pgmq.meta m where m.queue_name = drop_queue.queue_name;
  return found;
end
$keel$;
create function pgmq.list_queues() returns setof pgmq.queue_record language sql stable as $keel$
  select queue_name, is_partitioned, is_unlogged, created_at from pgmq.meta order by created_at, queue_name
$keel$;
create function pgmq.send_batch(queue_name text, msgs jsonb[], delay integer default 0) returns setof bigint language plpgsql as $keel$
begin
  return query execute format('insert into pgmq.%I (vt, message) select now() + make_interval(secs => $2), m from unnest($1) as m returning msg_id',
    pgmq._table(queue_name, 'q_')) using msgs, delay;
end
$keel$;
create function pgmq.send(queue_name text, msg jsonb, delay integer default 0) returns setof bigint language sql as $keel$
  select pgmq.send_batch(queue_name, array[msg], delay)
$keel$;
create function pgmq.read(queue_name text, vt integer, qty integer) returns setof pgmq.message_record language plpgsql as $keel$
begin
  return query execute format('with cte as (
      select msg_id from pgmq.%1$I where vt <= clock_timestamp() order by msg_id limit $1 for update skip locked)
    update pgmq.%1$I m set vt = clock_timestamp() + make_interval(secs => $2), read_ct = m.read_ct + 1
      from cte where m.msg_id = cte.msg_id
    returning m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message', pgmq._table(queue_name, 'q_')) using qty, vt;
end
$keel$;
create function pgmq.pop(queue_name text) returns setof pgmq.message_record language plpgsql as $keel$
begin
  return query execute format('with cte as (
      select msg_id from pgmq.%1$I where vt <= clock_timestamp() order by msg_id limit 1 for update skip locked)
    delete from pgmq.%1$I m using cte where m.msg_id = cte.msg_id
    returning m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message', pgmq._table(queue_name, 'q_'));
end
$keel$;
create function pgmq.set_vt(queue_name text, msg_id bigint, vt integer) returns setof pgmq.message_record language plpgsql as $keel$
begin
  return query execute format('update pgmq.%I set vt = clock_timestamp() + make_interval(secs => $2) where msg_id = $1
    returning msg_id, read_ct, enqueued_at, vt, message', pgmq._table(queue_name, 'q_')) using msg_id, vt;
end
$keel$;
create function pgmq.archive(queue_name text, msg_ids bigint[]) returns setof bigint language plpgsql as $keel$
begin
  return query execute format('with moved as (delete from pgmq.%I where msg_id = any($1) returning msg_id, read_ct, enqueued_at, vt, message)
    insert into pgmq.%I (msg_id, read_ct, enqueued_at, vt, message) select msg_id, read_ct, enqueued_at, vt, message from moved
    returning msg_id', pgmq._table(queue_name, 'q_'), pgmq._table(queue_name, 'a_')) using msg_ids;
end
$keel$;
create function pgmq.archive(queue_name text, msg_id bigint) returns boolean language sql as $keel$
  select exists (select 1 from pgmq.archive(queue_name, array[msg_id]))
$keel$;
create function pgmq.delete(queue_name text, msg_ids bigint[]) returns setof bigint language plpgsql as $keel$
begin
  return query execute format('delete from pgmq.%I where msg_id = any($1) returning msg_id', pgmq._table(queue_name, 'q_')) using msg_ids;
end
$keel$;
create function pgmq.delete(queue_name text, msg_id bigint) returns boolean language sql as $keel$
  select exists (select 1 from pgmq.delete(queue_name, array[msg_id]))
$keel$;
create function pgmq.purge_queue(queue_name text) returns bigint language plpgsql as $keel$
declare n bigint;
begin
  execute format('with gone as (delete from pgmq.%I returning 1) select count(*) from gone', pgmq._table(queue_name, 'q_')) into n;
  return n;
end
$keel$`;
}
