-- Migration: 013_create_privilege_guard_triggers.sql
-- Description: Row Level Security decides which rows an API user may change, not which columns. These BEFORE
--              triggers close the gaps, for the API roles only (the service role, migrations and seeds are not
--              affected):
--              - guard_immutable_columns(col, ...): the named columns cannot be changed by an update (a row cannot
--                be moved to another project or re-attributed to another user; users cannot change their email or
--                plan, which come from auth and billing);
--              - projects: only the primary owner changes owner_id (transfer, to an existing member) or deleted_at
--                (trash / restore); editors edit content only;
--              - project_members: the primary owner's membership can be neither removed nor downgraded (transfer
--                ownership first). A delete cascading from the project itself is let through.
-- Author: Keel examples
-- Date: 2026-11-22

create or replace function public.guard_immutable_columns()
returns trigger
language plpgsql
set search_path = ''
as $$
declare
  v_column text;
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  foreach v_column in array tg_argv loop
    if (to_jsonb(new) -> v_column) is distinct from (to_jsonb(old) -> v_column) then
      raise exception '%.%: column % cannot be changed', tg_table_schema, tg_table_name, v_column
        using errcode = '42501';
    end if;
  end loop;
  return new;
end;
$$;

drop trigger if exists guard_immutable_columns on public.users;
create trigger guard_immutable_columns before update on public.users
for each row execute procedure public.guard_immutable_columns('id', 'email', 'plan');

drop trigger if exists guard_immutable_columns on public.project_members;
create trigger guard_immutable_columns before update on public.project_members
for each row execute procedure public.guard_immutable_columns('project_id', 'user_id');

drop trigger if exists guard_immutable_columns on public.project_prompts;
create trigger guard_immutable_columns before update on public.project_prompts
for each row execute procedure public.guard_immutable_columns('project_id', 'user_id');

drop trigger if exists guard_immutable_columns on public.project_knowledge;
create trigger guard_immutable_columns before update on public.project_knowledge
for each row execute procedure public.guard_immutable_columns('project_id', 'created_by');

drop trigger if exists guard_immutable_columns on public.project_assets;
create trigger guard_immutable_columns before update on public.project_assets
for each row execute procedure public.guard_immutable_columns('project_id', 'uploaded_by', 'storage_path');

drop trigger if exists guard_immutable_columns on public.project_settings;
create trigger guard_immutable_columns before update on public.project_settings
for each row execute procedure public.guard_immutable_columns('project_id');

drop trigger if exists guard_immutable_columns on public.ai_providers;
create trigger guard_immutable_columns before update on public.ai_providers
for each row execute procedure public.guard_immutable_columns('user_id');

drop trigger if exists guard_immutable_columns on public.templates;
create trigger guard_immutable_columns before update on public.templates
for each row execute procedure public.guard_immutable_columns('created_by', 'is_official');

create or replace function public.guard_project_ownership()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  if (new.owner_id is distinct from old.owner_id or new.deleted_at is distinct from old.deleted_at)
     and old.owner_id is distinct from auth.uid() then
    raise exception 'only the owner of a project can transfer it, move it to the trash or restore it'
      using errcode = '42501';
  end if;
  if new.owner_id is distinct from old.owner_id
     and not exists (
       select 1 from public.project_members pm
       where pm.project_id = new.id and pm.user_id = new.owner_id
     ) then
    raise exception 'a project can only be transferred to one of its members'
      using errcode = '42501';
  end if;
  return new;
end;
$$;

drop trigger if exists guard_project_ownership on public.projects;
create trigger guard_project_ownership
before update on public.projects
for each row execute procedure public.guard_project_ownership();

create or replace function public.guard_primary_owner_membership()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') or pg_trigger_depth() > 1 then
    -- not an API user, or cascaded from the project (or the user) being deleted
    return case when tg_op = 'DELETE' then old else new end;
  end if;
  if exists (
       select 1 from public.projects p
       where p.id = old.project_id and p.owner_id = old.user_id
     )
     and (tg_op = 'DELETE' or new.role <> 'owner') then
    raise exception 'the project owner''s membership cannot be removed or downgraded; transfer the project first'
      using errcode = '42501';
  end if;
  return case when tg_op = 'DELETE' then old else new end;
end;
$$;

drop trigger if exists guard_primary_owner_membership on public.project_members;
create trigger guard_primary_owner_membership
before update or delete on public.project_members
for each row execute procedure public.guard_primary_owner_membership();

/*
-- Rollback for this migration
drop trigger if exists guard_primary_owner_membership on public.project_members;
drop function if exists public.guard_primary_owner_membership();
drop trigger if exists guard_project_ownership on public.projects;
drop function if exists public.guard_project_ownership();
drop trigger if exists guard_immutable_columns on public.templates;
drop trigger if exists guard_immutable_columns on public.ai_providers;
drop trigger if exists guard_immutable_columns on public.project_settings;
drop trigger if exists guard_immutable_columns on public.project_assets;
drop trigger if exists guard_immutable_columns on public.project_knowledge;
drop trigger if exists guard_immutable_columns on public.project_prompts;
drop trigger if exists guard_immutable_columns on public.project_members;
drop trigger if exists guard_immutable_columns on public.users;
drop function if exists public.guard_immutable_columns();
*/
