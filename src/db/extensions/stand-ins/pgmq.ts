/**
 * pgmq, written by Keel (pgmq 1.x is plain SQL and PL/pgSQL): a faithful subset that really queues. Schema `pgmq`
 * with `pgmq.meta`, a `pgmq.q_<queue>` and `pgmq.a_<queue>` table per queue (pgmq 1.5's columns, headers included),
 * the type `pgmq.message_record`, and `create`, `create_unlogged`, `drop_queue`, `list_queues`, `send`, `send_batch`, `read`,
 * `read_with_poll`, `pop`, `set_vt`, `archive`, `delete` (one id or an array), `purge_queue` and `format_table_name`, with
 * pgmq 1.5's overloads (headers; delay in seconds or as a time). Left out: partitioned queues (`create_partitioned`,
 * which needs pg_partman), `metrics`, topic routing.
 */
export function pgmqSql(): string {
  const rec = 'msg_id, read_ct, enqueued_at, vt, message, headers';
  return `create schema if not exists pgmq;
comment on schema pgmq is 'pgmq (Keel''s SQL subset: queues work; no partitioned queues or metrics)';
create table pgmq.meta (
  queue_name varchar unique not null,
  is_partitioned boolean not null,
  is_unlogged boolean not null,
  created_at timestamptz not null default now()
);
create type pgmq.message_record as (msg_id bigint, read_ct integer, enqueued_at timestamptz, vt timestamptz, message jsonb, headers jsonb);
create type pgmq.queue_record as (queue_name varchar, is_partitioned boolean, is_unlogged boolean, created_at timestamptz);
create function pgmq.format_table_name(queue_name text, prefix text) returns text language plpgsql immutable as $keel$
begin
  if queue_name is null or queue_name !~ '^[A-Za-z0-9_]+$' then
    raise exception 'queue name contains invalid characters: %', queue_name using hint = 'use letters, digits and _';
  end if;
  if length(queue_name) >= 48 then
    raise exception 'queue name is too long, maximum length is 47 characters';
  end if;
  return lower(prefix || '_' || queue_name);
end
$keel$;
create function pgmq._create(queue_name text, unlogged boolean) returns void language plpgsql as $keel$
declare
  q text := pgmq.format_table_name(queue_name, 'q');
  a text := pgmq.format_table_name(queue_name, 'a');
begin
  execute format('create %s table if not exists pgmq.%I (
      msg_id bigint primary key generated always as identity,
      read_ct integer default 0 not null,
      enqueued_at timestamptz default now() not null,
      vt timestamptz not null,
      message jsonb,
      headers jsonb)', case when unlogged then 'unlogged' else '' end, q);
  execute format('create table if not exists pgmq.%I (
      msg_id bigint primary key,
      read_ct integer default 0 not null,
      enqueued_at timestamptz default now() not null,
      archived_at timestamptz default now() not null,
      vt timestamptz not null,
      message jsonb,
      headers jsonb)', a);
  execute format('create index if not exists %I on pgmq.%I (vt asc)', q || '_vt_idx', q);
  execute format('create index if not exists %I on pgmq.%I (archived_at)', 'archived_at_idx_' || lower(queue_name), a);
  insert into pgmq.meta as m (queue_name, is_partitioned, is_unlogged) values (_create.queue_name, false, _create.unlogged)
    on conflict on constraint meta_queue_name_key do nothing;
end
$keel$;
create function pgmq."create"(queue_name text) returns void language sql as $keel$ select pgmq._create(queue_name, false) $keel$;
create function pgmq.create_unlogged(queue_name text) returns void language sql as $keel$ select pgmq._create(queue_name, true) $keel$;
create function pgmq.drop_queue(queue_name text) returns boolean language plpgsql as $keel$
begin
  execute format('drop table if exists pgmq.%I', pgmq.format_table_name(queue_name, 'q'));
  execute format('drop table if exists pgmq.%I', pgmq.format_table_name(queue_name, 'a'));
  delete from pgmq.meta m where m.queue_name = drop_queue.queue_name;
  return found;
end
$keel$;
create function pgmq.list_queues() returns setof pgmq.queue_record language sql stable as $keel$
  select queue_name, is_partitioned, is_unlogged, created_at from pgmq.meta order by created_at, queue_name
$keel$;
create function pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[], delay timestamptz) returns setof bigint language plpgsql as $keel$
begin
  return query execute format('insert into pgmq.%I (vt, message, headers) select $3, u.m, u.h from unnest($1, $2) as u(m, h) where u.m is not null returning msg_id',
    pgmq.format_table_name(queue_name, 'q')) using msgs, headers, delay;
end
$keel$;
create function pgmq.send_batch(queue_name text, msgs jsonb[]) returns setof bigint language sql as $keel$
  select pgmq.send_batch(queue_name, msgs, null::jsonb[], clock_timestamp()) $keel$;
create function pgmq.send_batch(queue_name text, msgs jsonb[], delay integer) returns setof bigint language sql as $keel$
  select pgmq.send_batch(queue_name, msgs, null::jsonb[], clock_timestamp() + make_interval(secs => delay)) $keel$;
create function pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[]) returns setof bigint language sql as $keel$
  select pgmq.send_batch(queue_name, msgs, headers, clock_timestamp()) $keel$;
create function pgmq.send_batch(queue_name text, msgs jsonb[], headers jsonb[], delay integer) returns setof bigint language sql as $keel$
  select pgmq.send_batch(queue_name, msgs, headers, clock_timestamp() + make_interval(secs => delay)) $keel$;
create function pgmq.send_batch(queue_name text, msgs jsonb[], delay timestamptz) returns setof bigint language sql as $keel$
  select pgmq.send_batch(queue_name, msgs, null::jsonb[], delay) $keel$;
create function pgmq.send(queue_name text, msg jsonb, headers jsonb, delay timestamptz) returns setof bigint language sql as $keel$
  select pgmq.send_batch(queue_name, array[msg], array[headers], delay) $keel$;
create function pgmq.send(queue_name text, msg jsonb) returns setof bigint language sql as $keel$
  select pgmq.send(queue_name, msg, null::jsonb, clock_timestamp()) $keel$;
create function pgmq.send(queue_name text, msg jsonb, delay integer) returns setof bigint language sql as $keel$
  select pgmq.send(queue_name, msg, null::jsonb, clock_timestamp() + make_interval(secs => delay)) $keel$;
create function pgmq.send(queue_name text, msg jsonb, headers jsonb) returns setof bigint language sql as $keel$
  select pgmq.send(queue_name, msg, headers, clock_timestamp()) $keel$;
create function pgmq.send(queue_name text, msg jsonb, headers jsonb, delay integer) returns setof bigint language sql as $keel$
  select pgmq.send(queue_name, msg, headers, clock_timestamp() + make_interval(secs => delay)) $keel$;
create function pgmq.send(queue_name text, msg jsonb, delay timestamptz) returns setof bigint language sql as $keel$
  select pgmq.send(queue_name, msg, null::jsonb, delay) $keel$;
create function pgmq.read(queue_name text, vt integer, qty integer, conditional jsonb default '{}') returns setof pgmq.message_record language plpgsql as $keel$
begin
  return query execute format('with cte as (
      select msg_id from pgmq.%1$I where vt <= clock_timestamp() and ($3 = ''{}''::jsonb or message @> $3)
       order by msg_id limit $1 for update skip locked)
    update pgmq.%1$I m set vt = clock_timestamp() + make_interval(secs => $2), read_ct = m.read_ct + 1
      from cte where m.msg_id = cte.msg_id
    returning m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message, m.headers', pgmq.format_table_name(queue_name, 'q')) using qty, vt, coalesce(conditional, '{}');
end
$keel$;
create function pgmq.read_with_poll(queue_name text, vt integer, qty integer, max_poll_seconds integer default 5, poll_interval_ms integer default 100,
  conditional jsonb default '{}') returns setof pgmq.message_record language plpgsql as $keel$
declare
  stop_at timestamptz := clock_timestamp() + make_interval(secs => max_poll_seconds);
begin
  loop
    return query select * from pgmq.read(queue_name, vt, qty, conditional);
    if found or clock_timestamp() >= stop_at then
      return;
    end if;
    perform pg_sleep(poll_interval_ms / 1000.0);
  end loop;
end
$keel$;
create function pgmq.pop(queue_name text) returns setof pgmq.message_record language plpgsql as $keel$
begin
  return query execute format('with cte as (
      select msg_id from pgmq.%1$I where vt <= clock_timestamp() order by msg_id limit 1 for update skip locked)
    delete from pgmq.%1$I m using cte where m.msg_id = cte.msg_id
    returning m.msg_id, m.read_ct, m.enqueued_at, m.vt, m.message, m.headers', pgmq.format_table_name(queue_name, 'q'));
end
$keel$;
create function pgmq.set_vt(queue_name text, msg_id bigint, vt integer) returns setof pgmq.message_record language plpgsql as $keel$
begin
  return query execute format('update pgmq.%I set vt = clock_timestamp() + make_interval(secs => $2) where msg_id = $1
    returning ${rec}', pgmq.format_table_name(queue_name, 'q')) using msg_id, vt;
end
$keel$;
create function pgmq.archive(queue_name text, msg_ids bigint[]) returns setof bigint language plpgsql as $keel$
begin
  return query execute format('with moved as (delete from pgmq.%I where msg_id = any($1) returning ${rec})
    insert into pgmq.%I (${rec}) select ${rec} from moved
    returning msg_id', pgmq.format_table_name(queue_name, 'q'), pgmq.format_table_name(queue_name, 'a')) using msg_ids;
end
$keel$;
create function pgmq.archive(queue_name text, msg_id bigint) returns boolean language sql as $keel$
  select exists (select 1 from pgmq.archive(queue_name, array[msg_id]))
$keel$;
create function pgmq.delete(queue_name text, msg_ids bigint[]) returns setof bigint language plpgsql as $keel$
begin
  return query execute format('delete from pgmq.%I where msg_id = any($1) returning msg_id', pgmq.format_table_name(queue_name, 'q')) using msg_ids;
end
$keel$;
create function pgmq.delete(queue_name text, msg_id bigint) returns boolean language sql as $keel$
  select exists (select 1 from pgmq.delete(queue_name, array[msg_id]))
$keel$;
create function pgmq.purge_queue(queue_name text) returns bigint language plpgsql as $keel$
declare n bigint;
begin
  execute format('with gone as (delete from pgmq.%I returning 1) select count(*) from gone', pgmq.format_table_name(queue_name, 'q')) into n;
  return n;
end
$keel$`;
}
