-- Policies: users_rls.sql
-- Description: Row Level Security for public.users. Users see their own profile and their teammates'; admins see everyone.
--              Soft-deleted users (deleted_at set) are hidden from everyone but admins by a RESTRICTIVE policy: the
--              seed document's permissive "Hide soft-deleted users" would have been OR-ed with the others and
--              shown every live user to every caller.
--              Deleting your own row is turned into a soft delete by the before_delete_user trigger.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and is_admin() are wrapped in scalar subqueries so Postgres evaluates them once per
--              statement (an InitPlan) instead of once per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.users enable row level security;

drop policy if exists "Users can view their own profile" on public.users;
drop policy if exists "Users can view their teammates" on public.users;
drop policy if exists "Users can create their own profile" on public.users;
drop policy if exists "Users can update their own profile" on public.users;
drop policy if exists "Users can delete their own profile" on public.users;
drop policy if exists "Admins can manage all users" on public.users;
drop policy if exists "Hide soft-deleted users" on public.users;

create policy "Users can view their own profile"
  on public.users
  for select
  to authenticated
  using (id = (select auth.uid()));

create policy "Users can view their teammates"
  on public.users
  for select
  to authenticated
  using (public.shares_team_with(id));

-- Profiles are normally created by the on_auth_user_created trigger; a client may create its own, as a member only
create policy "Users can create their own profile"
  on public.users
  for insert
  to authenticated
  with check (id = (select auth.uid()) and role = 'member');

-- role and is_active are further protected by the guard_user_privileges trigger
create policy "Users can update their own profile"
  on public.users
  for update
  to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));

create policy "Users can delete their own profile"
  on public.users
  for delete
  to authenticated
  using (id = (select auth.uid()));

create policy "Admins can manage all users"
  on public.users
  for all
  to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));

create policy "Hide soft-deleted users"
  on public.users
  as restrictive
  for select
  to anon, authenticated
  using (deleted_at is null or (select public.is_admin()));
