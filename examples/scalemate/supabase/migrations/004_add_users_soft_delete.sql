-- Migration: 004_add_users_soft_delete.sql
-- Description: Soft delete for public.users (seed document's pattern): a deleted_at column and a BEFORE DELETE
--              trigger that, instead of deleting, stamps deleted_at, deactivates the row and anonymises the email.
--              A delete that cascades from auth.users (the account itself is removed) still deletes for real:
--              it arrives from the foreign key's own trigger, so pg_trigger_depth() is above 1 there. Without that
--              exception the cascade would be cancelled and Postgres would reject the auth.users delete.
--              Policies (policies/users_rls.sql) hide rows whose deleted_at is set.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.users add column if not exists
  deleted_at timestamp with time zone;

create or replace function public.soft_delete_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if pg_trigger_depth() > 1 then
    return old; -- cascaded from auth.users: a real delete
  end if;

  update public.users set
    deleted_at = now(),
    is_active = false,
    email = 'deleted_' || old.id || '@example.com'
  where id = old.id
    and deleted_at is null;

  return null; -- cancel the physical delete
end;
$$;

comment on function public.soft_delete_user() is 'BEFORE DELETE trigger on public.users: turns a delete into a soft delete.';

drop trigger if exists before_delete_user on public.users;
create trigger before_delete_user
before delete on public.users
for each row execute procedure public.soft_delete_user();

-- Most queries only want live users
create index if not exists users_active_email_idx on public.users (email) where deleted_at is null;

/*
-- Rollback for this migration
drop trigger if exists before_delete_user on public.users;
drop function if exists public.soft_delete_user();
drop index if exists public.users_active_email_idx;
alter table public.users drop column if exists deleted_at;
*/
