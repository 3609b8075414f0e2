/**
 * Stand-in for pg_net: schema `net` with `net.http_request_queue` and `net._http_response` as pg_net has them, and
 * `net.http_get`, `net.http_post`, `net.http_delete` with pg_net's signatures and defaults, each returning a request id.
 * Requests are recorded in the queue (the real worker would delete them once sent) and never sent, so no response ever
 * arrives: `net._http_collect_response(id)` answers PENDING.
 */
export function pgNetSql(): string {
  return `create schema if not exists net;
comment on schema net is 'Keel stand-in for pg_net: requests are recorded in net.http_request_queue and never sent';
create domain net.http_method as text check (value ilike 'get' or value ilike 'post' or value ilike 'delete');
create unlogged table net.http_request_queue (
  id bigserial not null,
  method net.http_method not null,
  url text not null,
  headers jsonb not null,
  body bytea,
  timeout_milliseconds integer not null
);
create unlogged table net._http_response (
  id bigint,
  status_code integer,
  content_type text,
  headers jsonb,
  content text,
  timed_out boolean,
  error_msg text,
  created timestamptz not null default now()
);
create index on net._http_response (created);
create type net.request_status as enum ('PENDING', 'SUCCESS', 'ERROR');
create type net.http_response as (status_code integer, headers jsonb, body text);
create type net.http_response_result as (status net.request_status, message text, response net.http_response);
create function net._urlencode_string(string varchar) returns text language sql immutable strict as $keel$
  select coalesce(string_agg(case when b between 48 and 57 or b between 65 and 90 or b between 97 and 122 or b in (45, 46, 95, 126)
                         then chr(b) else '%' || upper(lpad(to_hex(b), 2, '0')) end, '' order by i), '')
    from (select i, get_byte(convert_to(string, 'UTF8'), i) as b
            from generate_series(0, length(convert_to(string, 'UTF8')) - 1) as i) as bytes
$keel$;
create function net._encode_url_with_params_array(url text, params_array text[]) returns text language sql immutable strict as $keel$
  select case when cardinality(params_array) = 0 then url
              else url || case when position('?' in url) > 0 then '&' else '?' end || array_to_string(params_array, '&') end
$keel$;
create function net._url_with_params(url text, params jsonb) returns text language sql immutable as $keel$
  select net._encode_url_with_params_array(url, coalesce(
    (select array_agg(net._urlencode_string(key) || '=' || net._urlencode_string(value)) from jsonb_each_text(coalesce(params, '{}'::jsonb))),
    '{}'::text[]))
$keel$;
create function net.http_get(url text, params jsonb default '{}'::jsonb, headers jsonb default '{}'::jsonb, timeout_milliseconds integer default 5000)
returns bigint language sql volatile strict as $keel$
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values ('GET', net._url_with_params(url, params), headers, null, timeout_milliseconds)
  returning id
$keel$;
create function net.http_post(url text, body jsonb default '{}'::jsonb, params jsonb default '{}'::jsonb,
  headers jsonb default '{"Content-Type": "application/json"}'::jsonb, timeout_milliseconds integer default 5000)
returns bigint language plpgsql volatile as $keel$
declare
  content_type text;
  request_id bigint;
begin
  select v into content_type from jsonb_each_text(coalesce(headers, '{}'::jsonb)) as h(k, v) where lower(k) = 'content-type' limit 1;
  if content_type is null then
    headers := coalesce(headers, '{}'::jsonb) || '{"Content-Type": "application/json"}'::jsonb;
  elsif content_type <> 'application/json' then
    raise exception 'Content-Type header must be "application/json"';
  end if;
  if body is null then
    raise exception 'body must not be null';
  end if;
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values ('POST', net._url_with_params(url, params), headers, convert_to(body::text, 'UTF8'), timeout_milliseconds)
  returning id into request_id;
  return request_id;
end
$keel$;
create function net.http_delete(url text, params jsonb default '{}'::jsonb, headers jsonb default '{}'::jsonb,
  timeout_milliseconds integer default 5000, body jsonb default null)
returns bigint language sql volatile as $keel$
  insert into net.http_request_queue (method, url, headers, body, timeout_milliseconds)
  values ('DELETE', net._url_with_params(url, params), coalesce(headers, '{}'::jsonb), convert_to(body::text, 'UTF8'), timeout_milliseconds)
  returning id
$keel$;
create function net._http_collect_response(request_id bigint, async boolean default true) returns net.http_response_result
language sql volatile strict as $keel$
  select case
    when r.id is not null then ('SUCCESS', 'ok', (r.status_code, r.headers, r.content)::net.http_response)::net.http_response_result
    when exists (select 1 from net.http_request_queue q where q.id = request_id)
      then ('PENDING', 'request not sent: Keel stand-in for pg_net records requests and never sends them', null)::net.http_response_result
    else ('ERROR', 'request matching request_id not found', null)::net.http_response_result
  end
  from (select 1) as one left join net._http_response r on r.id = request_id
$keel$;
create function net.http_collect_response(request_id bigint, async boolean default true) returns net.http_response_result
language sql volatile strict as $keel$ select net._http_collect_response(request_id, async) $keel$`;
}
