-- Roles: 001_grant_api_privileges.sql
-- Description: Table and function privileges of the Supabase API roles, stated explicitly (idempotent).
--              Row Level Security (policies/) then decides which rows each role sees:
--              - anon (not signed in) may only select; policies show it published help articles and releases,
--                nothing else;
--              - authenticated may select/insert/update/delete, never truncate (TRUNCATE bypasses RLS);
--              - service_role (bypasses RLS) keeps everything: imports, the OAuth callback, the MCP client.
--              encrypt_oauth_token / decrypt_oauth_token are executable by service_role only.
-- Author: Keel examples
-- Date: 2026-11-22

grant usage on schema public to anon, authenticated, service_role;

revoke insert, update, delete, truncate, references, trigger on all tables in schema public from anon;
grant select on all tables in schema public to anon;
revoke truncate, references, trigger on all tables in schema public from authenticated;
grant select, insert, update, delete on all tables in schema public to authenticated;
grant all on all tables in schema public to service_role;
grant usage, select on all sequences in schema public to authenticated, service_role;

revoke execute on function public.encrypt_oauth_token(text) from public, anon, authenticated;
revoke execute on function public.decrypt_oauth_token(bytea) from public, anon, authenticated;
grant execute on function public.encrypt_oauth_token(text) to service_role;
grant execute on function public.decrypt_oauth_token(bytea) to service_role;

-- create_release_snapshot runs with the caller's rights (RLS: admins only); anon has no business calling it
revoke execute on function public.create_release_snapshot(text, date, text[]) from public, anon;
grant execute on function public.create_release_snapshot(text, date, text[]) to authenticated, service_role;

-- Trigger functions are not meant to be called through the API
revoke execute on function public.handle_new_user() from public, anon, authenticated;
revoke execute on function public.soft_delete_row() from public, anon, authenticated;
revoke execute on function public.log_feature_update() from public, anon, authenticated;
