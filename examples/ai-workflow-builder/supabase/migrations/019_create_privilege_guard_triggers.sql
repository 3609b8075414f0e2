-- Migration: 019_create_privilege_guard_triggers.sql
-- Description: Row Level Security decides which rows an API user may update, not which columns. Two BEFORE UPDATE
--              triggers close the gaps, for the API roles only (the service role, migrations and seeds are not
--              affected):
--              - workflows: only the owner may change user_id, team_id or is_public (team editors and 'edit'
--                share recipients edit content only), and a workflow can only be moved into a team where the owner
--                is at least an editor;
--              - users: subscription_tier and monthly_execution_limit are set by billing (service role), not by
--                the user.
-- Author: Keel examples
-- Date: 2026-11-22

create or replace function public.guard_workflow_ownership()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user not in ('anon', 'authenticated') then
    return new;
  end if;
  if (new.user_id is distinct from old.user_id
      or new.team_id is distinct from old.team_id
      or new.is_public is distinct from old.is_public)
     and old.user_id is distinct from auth.uid() then
    raise exception 'only the owner of a workflow can change its owner, team or visibility'
      using errcode = '42501';
  end if;
  if new.team_id is distinct from old.team_id
     and new.team_id is not null
     and not public.has_team_role(new.team_id, 'editor') then
    raise exception 'a workflow can only be moved into a team where you are at least an editor'
      using errcode = '42501';
  end if;
  return new;
end;
$$;

drop trigger if exists guard_workflow_ownership on public.workflows;
create trigger guard_workflow_ownership
before update on public.workflows
for each row execute procedure public.guard_workflow_ownership();

create or replace function public.guard_user_billing_fields()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated')
     and (new.subscription_tier is distinct from old.subscription_tier
          or new.monthly_execution_limit is distinct from old.monthly_execution_limit) then
    raise exception 'subscription_tier and monthly_execution_limit are managed by billing'
      using errcode = '42501';
  end if;
  return new;
end;
$$;

drop trigger if exists guard_user_billing_fields on public.users;
create trigger guard_user_billing_fields
before update on public.users
for each row execute procedure public.guard_user_billing_fields();

/*
-- Rollback for this migration
drop trigger if exists guard_user_billing_fields on public.users;
drop function if exists public.guard_user_billing_fields();
drop trigger if exists guard_workflow_ownership on public.workflows;
drop function if exists public.guard_workflow_ownership();
*/
