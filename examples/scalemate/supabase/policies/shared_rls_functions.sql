-- Policies: shared_rls_functions.sql
-- Description: Shared RLS helper functions used by every *_rls.sql file in this folder, defined only here. Keel
--              applies policies/ files that define functions before the others, so the table policy files can call
--              them whatever their names; the file is idempotent (create or replace). Migrations' PL/pgSQL triggers
--              call some of them too, which is safe: PL/pgSQL resolves names when the trigger runs, after policies.
-- Author: Keel examples
-- Date: 2026-11-22

-- is_admin(): the caller's profile has the 'admin' user_role and is live (not soft-deleted, active).
create or replace function public.is_admin()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.users u
    where u.id = (select auth.uid())
      and u.role = 'admin'
      and u.deleted_at is null
      and u.is_active
  );
$$;

-- is_team_member(p_team_id): the caller is a live member of the team. The parameter is prefixed p_ so it cannot
-- be confused with the team_members.team_id column (the seed document's `team_id = team_id` was always true).
create or replace function public.is_team_member(p_team_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.team_members tm
    join public.users u on u.id = tm.user_id
    where tm.team_id = p_team_id
      and tm.user_id = (select auth.uid())
      and u.deleted_at is null
      and u.is_active
  );
$$;

-- is_team_admin(p_team_id): the caller is a live member of the team with team_role owner or admin.
create or replace function public.is_team_admin(p_team_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.team_members tm
    join public.users u on u.id = tm.user_id
    where tm.team_id = p_team_id
      and tm.user_id = (select auth.uid())
      and tm.role in ('owner', 'admin')
      and u.deleted_at is null
      and u.is_active
  );
$$;

-- shares_team_with(p_user_id): the caller, a live user, and that user are members of at least one common team.
create or replace function public.shares_team_with(p_user_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.team_members mine
    join public.users me on me.id = mine.user_id
    join public.team_members theirs on theirs.team_id = mine.team_id
    where mine.user_id = (select auth.uid())
      and me.deleted_at is null
      and me.is_active
      and theirs.user_id = p_user_id
  );
$$;

-- can_read_workflow(p_workflow_id): the caller created the workflow, is a member of its team, or is an admin.
create or replace function public.can_read_workflow(p_workflow_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.workflows w
    where w.id = p_workflow_id
      and (
        w.created_by = (select auth.uid())
        or (w.team_id is not null and public.is_team_member(w.team_id))
        or public.is_admin()
      )
  );
$$;

-- can_manage_workflow(p_workflow_id): the caller created the workflow, is an owner/admin of its team, or is an admin.
create or replace function public.can_manage_workflow(p_workflow_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.workflows w
    where w.id = p_workflow_id
      and (
        w.created_by = (select auth.uid())
        or (w.team_id is not null and public.is_team_admin(w.team_id))
        or public.is_admin()
      )
  );
$$;

-- A signed-in user whose profile is live (not soft-deleted). Write policies require it, so a departed user cannot
-- create rows. Defined only here: policies/ files that define functions run before the others.
create or replace function public.is_live_user()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (select 1 from public.users u where u.id = (select auth.uid()) and u.deleted_at is null);
$$;
