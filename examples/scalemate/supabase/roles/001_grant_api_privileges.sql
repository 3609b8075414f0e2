-- Roles: 001_grant_api_privileges.sql
-- Description: Table privileges of the Supabase API roles, stated explicitly (idempotent: grants and revokes can be
--              re-run). Row Level Security (policies/) then decides which rows each role sees.
--              - anon (not signed in) may only select, and no policy grants anon any row, so it reads nothing;
--              - authenticated may select/insert/update/delete, never truncate (TRUNCATE bypasses RLS);
--              - service_role (bypasses RLS) keeps everything, for back-office jobs.
-- Author: Keel examples
-- Date: 2026-11-22

grant usage on schema public to anon, authenticated, service_role;

revoke insert, update, delete, truncate, references, trigger on all tables in schema public from anon;
grant select on all tables in schema public to anon;
revoke truncate, references, trigger on all tables in schema public from authenticated;
grant select, insert, update, delete on all tables in schema public to authenticated;
grant all on all tables in schema public to service_role;
grant usage, select on all sequences in schema public to authenticated, service_role;

-- Trigger functions are not meant to be called through the API
revoke execute on function public.soft_delete_user() from public, anon, authenticated;
revoke execute on function public.handle_new_auth_user() from public, anon, authenticated;
