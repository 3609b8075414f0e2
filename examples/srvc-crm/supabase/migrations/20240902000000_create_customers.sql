-- Migration: 20240902000000_create_customers.sql
-- Description: Creates public.customers, the customer profiles and contact details of each SRVC user (a service
--              business). Every row belongs to one auth user (user_id). unique (id, user_id) lets jobs, quotes and
--              invoices reference a customer together with its owner, so a row can never point at another user's
--              customer. RLS is enabled here with the seed's owner policy; policies/customers_rls.sql re-applies it
--              and adds admin access.
-- Author: Keel examples
-- Date: 2024-09-02

create table if not exists public.customers (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  name text not null check (length(trim(name)) > 0),
  company_name text,
  email text check (email is null or email ~* '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
  phone text,
  address_line1 text,
  city text,
  state text,
  postal_code text,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint customers_id_user_id_key unique (id, user_id)
);

comment on table public.customers is 'Customer profiles and contact information, one set per SRVC user (user_id).';

drop trigger if exists set_updated_at on public.customers;
create trigger set_updated_at
before update on public.customers
for each row execute procedure public.update_timestamp();

create index if not exists idx_customers_user_id on public.customers (user_id);

alter table public.customers enable row level security;

drop policy if exists "Users can access own customers" on public.customers;
create policy "Users can access own customers"
  on public.customers
  for all
  to authenticated
  using ((select auth.uid()) = user_id);

/*
-- Rollback for this migration
drop table if exists public.customers;
*/
