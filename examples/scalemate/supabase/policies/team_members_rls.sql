-- Policies: team_members_rls.sql
-- Description: Row Level Security for public.team_members. Members see the member list of their own teams; the team owner and team admins add,
--              change and remove members; any member may leave; admins manage everything.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and is_admin() are wrapped in scalar subqueries so Postgres evaluates them once per
--              statement (an InitPlan) instead of once per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.team_members enable row level security;

drop policy if exists "Members can view their team's members" on public.team_members;
drop policy if exists "Team owners and admins can add members" on public.team_members;
drop policy if exists "Team owners and admins can update members" on public.team_members;
drop policy if exists "Members can leave and team admins can remove members" on public.team_members;
drop policy if exists "Admins can manage all team members" on public.team_members;

create policy "Members can view their team's members"
  on public.team_members
  for select
  to authenticated
  using (user_id = (select auth.uid()) or public.is_team_member(team_id));

-- The team's owner (teams.owner_id) may add the first membership rows, including their own
create policy "Team owners and admins can add members"
  on public.team_members
  for insert
  to authenticated
  with check (
    public.is_team_admin(team_id)
    or exists (
      select 1 from public.teams t
      where t.id = team_members.team_id and t.owner_id = (select auth.uid())
    )
  );

create policy "Team owners and admins can update members"
  on public.team_members
  for update
  to authenticated
  using (
    public.is_team_admin(team_id)
    or exists (
      select 1 from public.teams t
      where t.id = team_members.team_id and t.owner_id = (select auth.uid())
    )
  )
  with check (
    public.is_team_admin(team_id)
    or exists (
      select 1 from public.teams t
      where t.id = team_members.team_id and t.owner_id = (select auth.uid())
    )
  );

create policy "Members can leave and team admins can remove members"
  on public.team_members
  for delete
  to authenticated
  using (
    user_id = (select auth.uid())
    or public.is_team_admin(team_id)
    or exists (
      select 1 from public.teams t
      where t.id = team_members.team_id and t.owner_id = (select auth.uid())
    )
  );

create policy "Admins can manage all team members"
  on public.team_members
  for all
  to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
