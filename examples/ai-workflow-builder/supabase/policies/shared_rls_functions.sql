-- Policies: shared_rls_functions.sql
-- Description: Shared RLS helper functions used by every *_rls.sql file in this folder, defined only here. Keel
--              applies policies/ files that define functions before the others, so the table policy files can call
--              them whatever their names; the file is idempotent (create or replace). Migrations' PL/pgSQL triggers
--              call some of them too, which is safe: PL/pgSQL resolves names when the trigger runs, after policies.
-- Author: Keel examples
-- Date: 2026-11-22

-- is_team_member(p_team_id): the caller belongs to the team (any role).
create or replace function public.is_team_member(p_team_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.team_members tm
    where tm.team_id = p_team_id
      and tm.user_id = (select auth.uid())
  );
$$;

-- has_team_role(p_team_id, p_min_role): the caller's role in the team is at least p_min_role
-- (team_role is ordered viewer < editor < admin < owner).
create or replace function public.has_team_role(p_team_id uuid, p_min_role public.team_role)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.team_members tm
    where tm.team_id = p_team_id
      and tm.user_id = (select auth.uid())
      and tm.role >= p_min_role
  );
$$;

-- shares_team_with(p_user_id): the caller and that user have at least one team in common.
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
    join public.team_members theirs on theirs.team_id = mine.team_id
    where mine.user_id = (select auth.uid())
      and theirs.user_id = p_user_id
  );
$$;

-- is_workflow_owner(p_workflow_id): the caller owns the workflow.
create or replace function public.is_workflow_owner(p_workflow_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.workflows w
    where w.id = p_workflow_id
      and w.user_id = (select auth.uid())
  );
$$;

-- has_workflow_share(p_workflow_id, p_min_permission): the workflow is shared with the caller, unexpired, with at
-- least that permission (share_permission is ordered view < edit, so an 'edit' share also grants 'view').
create or replace function public.has_workflow_share(p_workflow_id uuid, p_min_permission public.share_permission)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.workflow_shares s
    where s.workflow_id = p_workflow_id
      and s.shared_with = (select auth.uid())
      and s.permission >= p_min_permission
      and (s.expires_at is null or s.expires_at > now())
  );
$$;

-- can_view_workflow(p_workflow_id): public, or owned by the caller, or of one of the caller's teams, or shared with
-- the caller. Works for anon too (auth.uid() is null: only public workflows).
create or replace function public.can_view_workflow(p_workflow_id uuid)
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
        w.is_public
        or w.user_id = (select auth.uid())
        or (w.team_id is not null and public.is_team_member(w.team_id))
        or public.has_workflow_share(w.id, 'view')
      )
  );
$$;

-- can_edit_workflow(p_workflow_id): owned by the caller, or of a team where the caller is at least an editor, or
-- shared with the caller with 'edit' permission.
create or replace function public.can_edit_workflow(p_workflow_id uuid)
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
        w.user_id = (select auth.uid())
        or (w.team_id is not null and public.has_team_role(w.team_id, 'editor'))
        or public.has_workflow_share(w.id, 'edit')
      )
  );
$$;

-- can_view_workflow_runs(p_workflow_id): execution history (inputs, outputs, costs) is private to the workflow's
-- owner and its team; public visibility and shares do not extend to it.
create or replace function public.can_view_workflow_runs(p_workflow_id uuid)
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
        w.user_id = (select auth.uid())
        or (w.team_id is not null and public.is_team_member(w.team_id))
      )
  );
$$;

-- can_view_execution(p_execution_id): the caller ran it, or may see the workflow's runs.
create or replace function public.can_view_execution(p_execution_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.workflow_executions e
    where e.id = p_execution_id
      and (e.user_id = (select auth.uid()) or public.can_view_workflow_runs(e.workflow_id))
  );
$$;
