-- Roles: 001_grant_api_privileges.sql
-- Description: Table and function privileges of the Supabase API roles, stated explicitly (idempotent).
--              Row Level Security (policies/) then decides which rows each role sees:
--              - anon (not signed in) may only select; policies show it public workflows (with their nodes and
--                connections), public templates, integrations and AI models, and nothing else;
--              - authenticated may select/insert/update/delete, never truncate (TRUNCATE bypasses RLS);
--              - service_role (bypasses RLS) keeps everything: catalogue maintenance, billing, the execution engine.
--              The config encryption functions are not available to anon.
-- Author: Keel examples
-- Date: 2026-11-22

grant usage on schema public to anon, authenticated, service_role;

revoke insert, update, delete, truncate, references, trigger on all tables in schema public from anon;
grant select on all tables in schema public to anon;
revoke truncate, references, trigger on all tables in schema public from authenticated;
grant select, insert, update, delete on all tables in schema public to authenticated;
grant all on all tables in schema public to service_role;
grant usage, select on all sequences in schema public to authenticated, service_role;

revoke execute on function public.encrypt_config(jsonb) from public, anon;
revoke execute on function public.decrypt_config(bytea) from public, anon;
revoke execute on function public.save_user_integration(uuid, jsonb, text) from public, anon;
revoke execute on function public.get_user_integration_config(uuid) from public, anon;
grant execute on function public.encrypt_config(jsonb) to authenticated, service_role;
grant execute on function public.decrypt_config(bytea) to authenticated, service_role;
grant execute on function public.save_user_integration(uuid, jsonb, text) to authenticated, service_role;
grant execute on function public.get_user_integration_config(uuid) to authenticated, service_role;

-- Trigger functions are not meant to be called through the API
revoke execute on function public.handle_new_auth_user() from public, anon, authenticated;
