-- Roles: 001_grant_api_privileges.sql
-- Description: Table privileges of the Supabase API roles, stated explicitly (idempotent: grants and revokes can be
--              re-run). Row Level Security (policies/) then decides which rows each role sees.
--              - anon (not signed in) may only select; the only rows a policy gives it are active
--                subscription_plans (the pricing page);
--              - authenticated may select/insert/update/delete, never truncate (TRUNCATE bypasses RLS);
--              - service_role (bypasses RLS) keeps everything, for billing webhooks and back-office jobs.
-- Author: Keel examples
-- Date: 2024-09-08

grant usage on schema public to anon, authenticated, service_role;

revoke insert, update, delete, truncate, references, trigger on all tables in schema public from anon;
grant select on all tables in schema public to anon;
revoke truncate, references, trigger on all tables in schema public from authenticated;
grant select, insert, update, delete on all tables in schema public to authenticated;
grant all on all tables in schema public to service_role;
grant usage, select on all sequences in schema public to authenticated, service_role;

-- is_admin() is called by policies for anon and authenticated; the trigger function is not an API
revoke execute on function public.is_admin() from public;
grant execute on function public.is_admin() to anon, authenticated, service_role;
revoke execute on function public.update_timestamp() from public, anon, authenticated;
