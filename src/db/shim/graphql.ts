/**
 * `graphql_public` as the platform has it before pg_graphql answers: the schema PostgREST exposes, with the platform's
 * placeholder `graphql_public.graphql()` that answers with a GraphQL error (here: there is no pg_graphql on this
 * engine), and the default privileges supabase_admin's objects in it get.
 */
export const GRAPHQL_SQL = `
create schema if not exists graphql_public;
create or replace function graphql_public.graphql("operationName" text default null, query text default null,
    variables jsonb default null, extensions jsonb default null) returns jsonb
language sql stable as $keel$
  select jsonb_build_object('errors', jsonb_build_array(jsonb_build_object('message', 'pg_graphql extension is not enabled.')))
$keel$;
grant usage on schema graphql_public to {postgres}anon, authenticated, service_role;
grant execute on function graphql_public.graphql(text, text, jsonb, jsonb) to {postgres}anon, authenticated, service_role;
do $keel$ begin
  alter default privileges for role supabase_admin in schema graphql_public grant all on tables to {postgres}anon, authenticated, service_role;
  alter default privileges for role supabase_admin in schema graphql_public grant all on functions to {postgres}anon, authenticated, service_role;
  alter default privileges for role supabase_admin in schema graphql_public grant all on sequences to {postgres}anon, authenticated, service_role;
exception when insufficient_privilege then null; -- the connecting user may not act for supabase_admin
end $keel$;`;
