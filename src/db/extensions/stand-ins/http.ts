import { ident } from '../sql-text.js';

/** The response every stand-in call returns: 503, since the service was not reached. */
export const HTTP_NOT_SENT_STATUS = 503;

/**
 * Stand-in for pgsql-http (`http`): its types (`http_method`, `http_header`, `http_request`, `http_response`) and
 * functions (`http(request)`, `http_get`, `http_post`, `http_put`, `http_patch`, `http_delete`, `http_head`,
 * `http_header`, `urlencode`, the curlopt helpers) in the extension's schema. http is synchronous, so a call must
 * answer something: each call is recorded in `keel.http_requests` and answered with status 503 and a body that says
 * the request was not sent, never with a made-up success. Code that checks the status takes its failure path.
 */
export function httpSql(schema: string): string {
  const s = ident(schema);
  const notSent = `'Keel stand-in for the http extension: the request was recorded in keel.http_requests and not sent'`;
  return `create schema if not exists keel;
create table if not exists keel.http_requests (
  id bigserial primary key,
  method text not null,
  uri text not null,
  headers jsonb,
  content_type text,
  content text,
  created_at timestamptz not null default now()
);
create domain ${s}.http_method as text check (value ~* '^(get|post|put|delete|patch|head)$');
create domain ${s}.content_type as text check (value ~ '^\\S+\\/\\S+');
create type ${s}.http_header as (field varchar, value varchar);
create type ${s}.http_response as (status integer, content_type varchar, headers ${s}.http_header[], content varchar);
create type ${s}.http_request as (method ${s}.http_method, uri varchar, headers ${s}.http_header[], content_type varchar, content varchar);
create function ${s}.http_header(field varchar, value varchar) returns ${s}.http_header language sql immutable as $keel$
  select row(field, value)::${s}.http_header
$keel$;
create function ${s}.http(request ${s}.http_request) returns ${s}.http_response language plpgsql volatile as $keel$
begin
  insert into keel.http_requests (method, uri, headers, content_type, content)
  values (upper(request.method), request.uri, to_jsonb(request.headers), request.content_type, request.content);
  return row(${HTTP_NOT_SENT_STATUS}, 'text/plain', array[row('X-Keel-Stand-In', 'not sent')::${s}.http_header], ${notSent})::${s}.http_response;
end
$keel$;
create function ${s}.urlencode(string varchar) returns text language sql immutable strict as $keel$
  select coalesce(string_agg(case when b between 48 and 57 or b between 65 and 90 or b between 97 and 122 or b in (45, 46, 95, 126)
                         then chr(b) else '%' || upper(lpad(to_hex(b), 2, '0')) end, '' order by i), '')
    from (select i, get_byte(convert_to(string, 'UTF8'), i) as b
            from generate_series(0, length(convert_to(string, 'UTF8')) - 1) as i) as bytes
$keel$;
create function ${s}.urlencode(data jsonb) returns text language sql immutable strict as $keel$
  select coalesce(string_agg(${s}.urlencode(key) || '=' || ${s}.urlencode(value), '&'), '') from jsonb_each_text(data)
$keel$;
create function ${s}.http_get(uri varchar) returns ${s}.http_response language sql volatile as $keel$
  select ${s}.http(('GET', uri, null, null, null)::${s}.http_request)
$keel$;
create function ${s}.http_get(uri varchar, data jsonb) returns ${s}.http_response language sql volatile as $keel$
  select ${s}.http(('GET', uri || '?' || ${s}.urlencode(data), null, null, null)::${s}.http_request)
$keel$;
create function ${s}.http_post(uri varchar, content varchar, content_type varchar) returns ${s}.http_response language sql volatile as $keel$
  select ${s}.http(('POST', uri, null, content_type, content)::${s}.http_request)
$keel$;
create function ${s}.http_post(uri varchar, data jsonb) returns ${s}.http_response language sql volatile as $keel$
  select ${s}.http(('POST', uri, null, 'application/x-www-form-urlencoded', ${s}.urlencode(data))::${s}.http_request)
$keel$;
create function ${s}.http_put(uri varchar, content varchar, content_type varchar) returns ${s}.http_response language sql volatile as $keel$
  select ${s}.http(('PUT', uri, null, content_type, content)::${s}.http_request)
$keel$;
create function ${s}.http_patch(uri varchar, content varchar, content_type varchar) returns ${s}.http_response language sql volatile as $keel$
  select ${s}.http(('PATCH', uri, null, content_type, content)::${s}.http_request)
$keel$;
create function ${s}.http_delete(uri varchar) returns ${s}.http_response language sql volatile as $keel$
  select ${s}.http(('DELETE', uri, null, null, null)::${s}.http_request)
$keel$;
create function ${s}.http_delete(uri varchar, content varchar, content_type varchar) returns ${s}.http_response language sql volatile as $keel$
  select ${s}.http(('DELETE', uri, null, content_type, content)::${s}.http_request)
$keel$;
create function ${s}.http_head(uri varchar) returns ${s}.http_response language sql volatile as $keel$
  select ${s}.http(('HEAD', uri, null, null, null)::${s}.http_request)
$keel$;
create function ${s}.http_set_curlopt(curlopt varchar, value varchar) returns boolean language sql volatile as $keel$ select true $keel$;
create function ${s}.http_reset_curlopt() returns boolean language sql volatile as $keel$ select true $keel$;
create function ${s}.http_list_curlopt() returns table(curlopt text, value text) language sql volatile as $keel$ select null::text, null::text where false $keel$`;
}
