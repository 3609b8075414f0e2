-- Policies: users_rls.sql
-- Description: Row Level Security for public.users. Users see and edit their own profile and see the profiles of
--              their collaborators (members of a live project they are in). Nobody deletes a profile through the API:
--              it goes with the auth.users account (on delete cascade). id, email and plan are guarded by a trigger.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.users enable row level security;

drop policy if exists "Users can view their own profile" on public.users;
drop policy if exists "Users can view their collaborators" on public.users;
drop policy if exists "Users can create their own profile" on public.users;
drop policy if exists "Users can update their own profile" on public.users;

create policy "Users can view their own profile"
  on public.users
  for select
  to authenticated
  using (id = (select auth.uid()));

create policy "Users can view their collaborators"
  on public.users
  for select
  to authenticated
  using (public.shares_project_with(id));

-- Normally the on_auth_user_created trigger creates the profile
create policy "Users can create their own profile"
  on public.users
  for insert
  to authenticated
  with check (id = (select auth.uid()) and plan = 'free');

create policy "Users can update their own profile"
  on public.users
  for update
  to authenticated
  using (id = (select auth.uid()))
  with check (id = (select auth.uid()));
