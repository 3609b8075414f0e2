import { ident } from '../sql-text.js';

/**
 * pgjwt, written by Keel (pgjwt is plain SQL over pgcrypto): `url_encode`, `url_decode`, `algorithm_sign`, `sign`,
 * `try_cast_double` and `verify` in the extension's schema, with pgjwt's signatures. HS256/HS384/HS512; `verify` also
 * checks `exp` and `nbf` when the payload has them, as pgjwt 0.2 does. `crypto` is the schema pgcrypto lives in.
 */
export function pgjwtSql(schema: string, crypto: string): string {
  const s = ident(schema);
  const c = ident(crypto);
  return `create function ${s}.url_encode(data bytea) returns text language sql immutable as $keel$
  select translate(encode(data, 'base64'), E'+/=\\n', '-_')
$keel$;
create function ${s}.url_decode(data text) returns bytea language sql immutable as $keel$
  with t as (select translate(data, '-_', '+/') as b64),
       p as (select b64 || repeat('=', (4 - length(b64) % 4) % 4) as padded from t)
  select decode(padded, 'base64') from p
$keel$;
create function ${s}.algorithm_sign(signables text, secret text, algorithm text) returns text language sql immutable as $keel$
  select ${s}.url_encode(${c}.hmac(signables, secret, case algorithm
    when 'HS256' then 'sha256' when 'HS384' then 'sha384' when 'HS512' then 'sha512'
    else ${s}._unsupported_algorithm(algorithm) end))
$keel$;
create function ${s}.sign(payload json, secret text, algorithm text default 'HS256') returns text language sql immutable as $keel$
  with header as (select ${s}.url_encode(convert_to('{"alg":"' || algorithm || '","typ":"JWT"}', 'utf8')) as data),
       body as (select ${s}.url_encode(convert_to(payload::text, 'utf8')) as data),
       signables as (select header.data || '.' || body.data as data from header, body)
  select signables.data || '.' || ${s}.algorithm_sign(signables.data, secret, algorithm) from signables
$keel$;
create function ${s}.try_cast_double(inp text) returns double precision language plpgsql immutable as $keel$
begin
  return inp::double precision;
exception when others then
  return null;
end
$keel$;
create function ${s}.verify(token text, secret text, algorithm text default 'HS256')
returns table(header json, payload json, valid boolean) language sql immutable as $keel$
  select jwt.header, jwt.payload,
         jwt.signature_ok
           and coalesce(now() < to_timestamp(${s}.try_cast_double(jwt.payload->>'exp')), true)
           and coalesce(now() >= to_timestamp(${s}.try_cast_double(jwt.payload->>'nbf')), true) as valid
    from (select convert_from(${s}.url_decode(r[1]), 'utf8')::json as header,
                 convert_from(${s}.url_decode(r[2]), 'utf8')::json as payload,
                 r[3] = ${s}.algorithm_sign(r[1] || '.' || r[2], secret, algorithm) as signature_ok
            from regexp_split_to_array(token, '\\.') as r) as jwt
$keel$`;
}

/** Raises for an algorithm pgjwt does not sign with (created before the functions that call it). */
export function pgjwtPrelude(schema: string): string {
  return `create function ${ident(schema)}._unsupported_algorithm(algorithm text) returns text language plpgsql immutable as $keel$
begin
  raise exception 'unsupported JWT algorithm "%" (pgjwt signs with HS256, HS384 or HS512)', algorithm using errcode = '22023';
end
$keel$`;
}
