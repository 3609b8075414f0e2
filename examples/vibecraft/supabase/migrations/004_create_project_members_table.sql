-- Migration: 004_create_project_members_table.sql
-- Description: Creates the ordered enum project_role (viewer < editor < owner, so policies can compare
--              role >= 'editor') and public.project_members (one row per user per project). A trigger adds the
--              project's owner as an 'owner' member when a project is created.
-- Author: Keel examples
-- Date: 2026-11-22

-- Ordered: viewer < editor < owner
do $$ begin
  create type public.project_role as enum ('viewer', 'editor', 'owner');
exception
  when duplicate_object then null;
end $$;

create table if not exists public.project_members (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  user_id uuid not null references public.users (id) on delete cascade,
  role public.project_role not null default 'viewer',
  invited_by uuid references public.users (id) on delete set null,
  joined_at timestamptz not null default now(),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (project_id, user_id)
);

drop trigger if exists set_updated_at on public.project_members;
create trigger set_updated_at
before update on public.project_members
for each row execute procedure public.update_timestamp();

-- project_members.project_id is served by the unique (project_id, user_id) index
create index if not exists project_members_user_id_idx on public.project_members (user_id);
create index if not exists project_members_invited_by_idx on public.project_members (invited_by);

-- A new project's owner becomes its first member, and a new owner (ownership transfer) an 'owner' member
-- (security definer: the owner may have no membership yet, so the project_members insert policy would refuse it)
create or replace function public.add_project_owner_membership()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.project_members (project_id, user_id, role, invited_by)
  values (new.id, new.owner_id, 'owner', null)
  on conflict (project_id, user_id) do update set role = 'owner';
  return new;
end;
$$;

drop trigger if exists add_owner_membership on public.projects;
create trigger add_owner_membership
after insert or update of owner_id on public.projects
for each row execute procedure public.add_project_owner_membership();

/*
-- Rollback for this migration
drop trigger if exists add_owner_membership on public.projects;
drop function if exists public.add_project_owner_membership();
drop table if exists public.project_members;
drop type if exists public.project_role;
*/
