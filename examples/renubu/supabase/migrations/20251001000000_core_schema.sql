-- Migration: 20251001000000_core_schema.sql
-- Description: Renubu core schema (seed 003, "Core schema migration"):
--              - extensions uuid-ossp and pgcrypto (in the `extensions` schema, as on Supabase);
--              - update_updated_at_column(), the BEFORE UPDATE trigger function every table uses;
--              - profiles (1:1 with auth.users, role admin | pm | csm, soft delete), created at sign-up by a trigger
--                on auth.users, with a guard so users cannot change their own role;
--              - is_admin(), the security definer helper behind every "admin override" policy;
--              - customers (name, arr, renewal_date, risk_score, assigned_to, soft delete) and contacts;
--              - can_access_customer(uuid), the helper behind the contacts policies;
--              - soft delete: a DELETE on customers/contacts by an API role stamps deleted_at instead.
--              Idempotent: if not exists / create or replace / drop trigger if exists throughout.
--              RLS is enabled here ("RLS from day one"); the policies live in supabase/policies/.
-- Author: Keel examples
-- Date: 2026-11-22

create schema if not exists extensions;
create extension if not exists "uuid-ossp" with schema extensions;
create extension if not exists pgcrypto with schema extensions;

-- update_updated_at_column(): keeps updated_at current (trigger name: <table>_updated_at)
create or replace function public.update_updated_at_column()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.updated_at = now();
  return new;
end;
$$;

comment on function public.update_updated_at_column() is 'Trigger function: sets updated_at to now() before each update.';

-- profiles ---------------------------------------------------------------------------------------------------------
create table if not exists public.profiles (
  id uuid primary key references auth.users (id) on delete cascade,
  email text not null,
  full_name text,
  role text not null default 'csm' check (role in ('admin', 'pm', 'csm')),
  title text,
  timezone text not null default 'UTC',
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.profiles is 'Extended user profile, 1:1 with auth.users. role: admin | pm | csm.';

alter table public.profiles enable row level security;

create unique index if not exists idx_profiles_email on public.profiles (lower(email)) where deleted_at is null;
create index if not exists idx_profiles_role on public.profiles (role) where deleted_at is null;

drop trigger if exists profiles_updated_at on public.profiles;
create trigger profiles_updated_at
  before update on public.profiles
  for each row execute function public.update_updated_at_column();

-- A sign-up (insert into auth.users) creates the profile, always as a csm
create or replace function public.handle_new_user()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  insert into public.profiles (id, email, full_name)
  values (
    new.id,
    coalesce(new.email, new.id::text || '@users.invalid'),
    nullif(new.raw_user_meta_data ->> 'full_name', '')
  )
  on conflict (id) do nothing;
  return new;
end;
$$;

drop trigger if exists on_auth_user_created on auth.users;
create trigger on_auth_user_created
  after insert on auth.users
  for each row execute function public.handle_new_user();

-- is_admin(): the caller has a live profile with role 'admin' (admin override pattern). security definer so that
-- policies on profiles can call it without recursing into profiles' own policies.
create or replace function public.is_admin()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.profiles p
    where p.id = (select auth.uid())
      and p.role = 'admin'
      and p.deleted_at is null
  );
$$;

-- has_role(roles): the caller has a live profile with one of these roles.
create or replace function public.has_role(p_roles text[])
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.profiles p
    where p.id = (select auth.uid())
      and p.role = any (p_roles)
      and p.deleted_at is null
  );
$$;

-- Users may edit their own profile but not their role or deleted_at; only an admin (or the service role, a
-- migration, a security definer function: current_user is then not an API role) may.
create or replace function public.guard_profile_privileges()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  if current_user in ('anon', 'authenticated')
     and (new.role is distinct from old.role or new.deleted_at is distinct from old.deleted_at)
     and not public.is_admin() then
    raise exception 'only an admin can change a profile''s role or deleted_at'
      using errcode = '42501';
  end if;
  return new;
end;
$$;

drop trigger if exists profiles_guard_privileges on public.profiles;
create trigger profiles_guard_privileges
  before update on public.profiles
  for each row execute function public.guard_profile_privileges();

-- customers --------------------------------------------------------------------------------------------------------
create table if not exists public.customers (
  id uuid primary key default extensions.uuid_generate_v4(),
  name text not null,
  domain text,
  industry text,
  arr numeric(14, 2) not null default 0 check (arr >= 0),
  renewal_date date,
  risk_score integer check (risk_score between 0 and 100),
  health_status text not null default 'healthy' check (health_status in ('healthy', 'at_risk', 'critical')),
  assigned_to uuid references auth.users (id) on delete set null,
  notes text,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.customers is 'Customer organizations. Users see the customers assigned to them; admins see all.';

alter table public.customers enable row level security;

create index if not exists idx_customers_assigned_to on public.customers (assigned_to);
create index if not exists idx_customers_name on public.customers (name);
create index if not exists idx_customers_renewal_date on public.customers (renewal_date) where deleted_at is null;
create index if not exists idx_customers_risk_score on public.customers (risk_score desc) where deleted_at is null;

drop trigger if exists customers_updated_at on public.customers;
create trigger customers_updated_at
  before update on public.customers
  for each row execute function public.update_updated_at_column();

-- contacts ---------------------------------------------------------------------------------------------------------
create table if not exists public.contacts (
  id uuid primary key default extensions.uuid_generate_v4(),
  customer_id uuid not null references public.customers (id) on delete cascade,
  name text not null,
  email text,
  phone text,
  role text,
  is_primary boolean not null default false,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.contacts is 'People at customer organizations. Visible to whoever can access the customer.';

alter table public.contacts enable row level security;

create index if not exists idx_contacts_customer_id on public.contacts (customer_id);
create index if not exists idx_contacts_email on public.contacts (lower(email)) where deleted_at is null;

drop trigger if exists contacts_updated_at on public.contacts;
create trigger contacts_updated_at
  before update on public.contacts
  for each row execute function public.update_updated_at_column();

-- can_access_customer(id): the customer is live and assigned to the caller, or the caller is an admin (admins
-- also reach soft-deleted customers, to restore them).
create or replace function public.can_access_customer(p_customer_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.customers c
    where c.id = p_customer_id
      and ((c.deleted_at is null and c.assigned_to = (select auth.uid())) or public.is_admin())
  );
$$;

-- Soft delete: a DELETE by an API role (anon/authenticated) on a row RLS lets it delete becomes
-- "set deleted_at = now()". The service role, migrations and cascades (pg_trigger_depth() > 1) delete for real.
-- A plain UPDATE ... SET deleted_at would be refused by RLS for non-admins: the new row must still satisfy the
-- select policies, which hide deleted rows. The function is security definer (its update bypasses RLS), so
-- current_user inside it is the owner: the caller's API role is read from the `role` setting (SET ROLE, as
-- PostgREST and Supabase do), which a security definer call does not change.
create or replace function public.soft_delete_row()
returns trigger
language plpgsql
security definer
set search_path = ''
as $$
begin
  if coalesce(current_setting('role', true), 'none') not in ('anon', 'authenticated') or pg_trigger_depth() > 1 then
    return old;
  end if;
  execute format('update %I.%I set deleted_at = now() where id = $1 and deleted_at is null',
                 tg_table_schema, tg_table_name)
    using old.id;
  return null; -- cancel the physical delete
end;
$$;

comment on function public.soft_delete_row() is 'BEFORE DELETE trigger: turns an API delete into a soft delete (deleted_at).';

drop trigger if exists customers_soft_delete on public.customers;
create trigger customers_soft_delete
  before delete on public.customers
  for each row execute function public.soft_delete_row();

drop trigger if exists contacts_soft_delete on public.contacts;
create trigger contacts_soft_delete
  before delete on public.contacts
  for each row execute function public.soft_delete_row();

/*
-- Rollback for this migration
drop trigger if exists contacts_soft_delete on public.contacts;
drop trigger if exists customers_soft_delete on public.customers;
drop function if exists public.soft_delete_row();
drop function if exists public.can_access_customer(uuid);
drop table if exists public.contacts;
drop table if exists public.customers;
drop trigger if exists on_auth_user_created on auth.users;
drop function if exists public.handle_new_user();
drop table if exists public.profiles;
drop function if exists public.guard_profile_privileges();
drop function if exists public.has_role(text[]);
drop function if exists public.is_admin();
drop function if exists public.update_updated_at_column();
-- the extensions are shared with Supabase itself: leave them installed
*/
