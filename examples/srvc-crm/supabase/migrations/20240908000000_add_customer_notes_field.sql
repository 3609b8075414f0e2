-- Migration: 20240908000000_add_customer_notes_field.sql
-- Description: The seed document's example migration: adds customers.notes, re-creates the
--              "Users can access own customers" policy and comments the column. The policy is written as in
--              policies/customers_rls.sql (to authenticated, auth.uid() in a scalar subquery), which re-applies it
--              after every migrate.
-- Author: Keel examples
-- Date: 2024-09-08

-- Add new column
alter table public.customers
add column if not exists notes text;

-- Update RLS policy if needed
drop policy if exists "Users can access own customers" on public.customers;
create policy "Users can access own customers"
  on public.customers
  for all
  to authenticated
  using ((select auth.uid()) = user_id);

-- Add helpful comment
comment on column public.customers.notes is 'Internal notes about the customer';

/*
-- Rollback for this migration
alter table public.customers drop column if exists notes;
*/
