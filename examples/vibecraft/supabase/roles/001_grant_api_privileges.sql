-- Roles: 001_grant_api_privileges.sql
-- Description: Table and function privileges of the Supabase API roles, stated explicitly (idempotent).
--              Row Level Security (policies/) then decides which rows each role sees:
--              - anon (not signed in) may only select; policies show it public templates and nothing else;
--              - authenticated may select/insert/update/delete, never truncate (TRUNCATE bypasses RLS);
--              - service_role (bypasses RLS) keeps everything: official templates, billing, maintenance.
--              The API key functions are not available to anon; trigger functions to nobody through the API.
-- Author: Keel examples
-- Date: 2026-11-22

grant usage on schema public to anon, authenticated, service_role;

revoke insert, update, delete, truncate, references, trigger on all tables in schema public from anon;
grant select on all tables in schema public to anon;
revoke truncate, references, trigger on all tables in schema public from authenticated;
grant select, insert, update, delete on all tables in schema public to authenticated;
grant all on all tables in schema public to service_role;
grant usage, select on all sequences in schema public to authenticated, service_role;

revoke execute on function public.encrypt_api_key(text) from public, anon;
revoke execute on function public.decrypt_api_key(bytea) from public, anon;
revoke execute on function public.save_ai_provider(text, text, text, text, text) from public, anon;
revoke execute on function public.get_ai_provider_api_key(uuid) from public, anon;
grant execute on function public.encrypt_api_key(text) to authenticated, service_role;
grant execute on function public.decrypt_api_key(bytea) to authenticated, service_role;
grant execute on function public.save_ai_provider(text, text, text, text, text) to authenticated, service_role;
grant execute on function public.get_ai_provider_api_key(uuid) to authenticated, service_role;

-- Trigger functions are not meant to be called through the API
revoke execute on function public.handle_new_auth_user() from public, anon, authenticated;
revoke execute on function public.add_project_owner_membership() from public, anon, authenticated;
