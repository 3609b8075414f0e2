-- Policies: shared_rls_functions.sql
-- Description: Shared RLS helper functions used by every *_rls.sql file in this folder, defined only here. Keel
--              applies policies/ files that define functions before the others, so the table policy files can call
--              them whatever their names; the file is idempotent (create or replace). Migrations' PL/pgSQL triggers
--              call some of them too, which is safe: PL/pgSQL resolves names when the trigger runs, after policies.
-- Author: Keel examples
-- Date: 2026-11-22

-- is_project_member(p_project_id, p_min_role): the caller's role in the project is at least p_min_role
-- (project_role is ordered viewer < editor < owner). The project's primary owner (projects.owner_id) always has
-- the 'owner' role, also while the project is in the trash; other members lose access while it is soft-deleted.
create or replace function public.is_project_member(p_project_id uuid, p_min_role public.project_role default 'viewer')
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.projects p
    where p.id = p_project_id
      and (
        p.owner_id = (select auth.uid())
        or (
          p.deleted_at is null
          and exists (
            select 1 from public.project_members pm
            where pm.project_id = p.id
              and pm.user_id = (select auth.uid())
              and pm.role >= p_min_role
          )
        )
      )
  );
$$;

-- is_project_owner(p_project_id): the caller is the project's primary owner (projects.owner_id). Only the primary
-- owner deletes the project, moves it to the trash or transfers it.
create or replace function public.is_project_owner(p_project_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.projects p
    where p.id = p_project_id
      and p.owner_id = (select auth.uid())
  );
$$;

-- shares_project_with(p_user_id): the caller and that user are both members of at least one live project.
create or replace function public.shares_project_with(p_user_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1
    from public.project_members mine
    join public.project_members theirs on theirs.project_id = mine.project_id
    join public.projects p on p.id = mine.project_id
    where mine.user_id = (select auth.uid())
      and theirs.user_id = p_user_id
      and p.deleted_at is null
  );
$$;
revoke execute on function public.is_project_member(uuid, public.project_role) from public, anon;
revoke execute on function public.is_project_owner(uuid) from public, anon;
revoke execute on function public.shares_project_with(uuid) from public, anon;
grant execute on function public.is_project_member(uuid, public.project_role) to authenticated, service_role;
grant execute on function public.is_project_owner(uuid) to authenticated, service_role;
grant execute on function public.shares_project_with(uuid) to authenticated, service_role;
