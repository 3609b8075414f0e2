/**
 * Stand-in for pg_graphql: schema `graphql` with `graphql.resolve()` (pg_graphql's signature), which raises a clear
 * error when called. Projects pulled from the platform create the extension; few call it from SQL.
 */
export function pgGraphqlSql(): string {
  return `create schema if not exists graphql;
comment on schema graphql is 'Keel stand-in for pg_graphql: graphql.resolve() raises';
create function graphql.resolve(query text, variables jsonb default '{}'::jsonb, "operationName" text default null, extensions jsonb default null)
returns jsonb language plpgsql volatile as $keel$
begin
  raise exception 'pg_graphql is not available on this database: Keel created a stand-in, and graphql.resolve() cannot run'
    using errcode = '0A000', hint = 'run GraphQL queries against Supabase, or a server that has pg_graphql installed';
end
$keel$;
create function graphql.comment_directive(comment_ text) returns jsonb language sql immutable as $keel$
  select case when comment_ ~ '^@graphql\\(' then substring(comment_ from '^@graphql\\((.*)\\)')::jsonb else '{}'::jsonb end
$keel$`;
}
