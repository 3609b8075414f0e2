-- Policies: profiles_rls.sql
-- Description: Row Level Security for public.profiles. Users read and edit their own profile (not its role: see
--              guard_profile_privileges); admins read and manage all (admin override). Soft-deleted profiles are
--              hidden from everyone but admins by a RESTRICTIVE policy (AND-ed with the others).
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.profiles enable row level security;

drop policy if exists "Users can view own profile" on public.profiles;
drop policy if exists "Users can create own profile" on public.profiles;
drop policy if exists "Users can update own profile" on public.profiles;
drop policy if exists "Admins can manage all profiles" on public.profiles;
drop policy if exists "Hide soft-deleted profiles" on public.profiles;

create policy "Users can view own profile"
  on public.profiles for select to authenticated
  using (id = (select auth.uid()));

-- Profiles are made by the on_auth_user_created trigger; a client may create its own, as a csm only
create policy "Users can create own profile"
  on public.profiles for insert to authenticated
  with check (id = (select auth.uid()) and role = 'csm');

create policy "Users can update own profile"
  on public.profiles for update to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

-- Only admins delete profiles (normally: set deleted_at; a real removal goes through auth.users)
create policy "Admins can manage all profiles"
  on public.profiles for all to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));

create policy "Hide soft-deleted profiles"
  on public.profiles as restrictive for select to anon, authenticated
  using (deleted_at is null or (select public.is_admin()));
