-- Policies: customers_rls.sql
-- Description: Row Level Security for public.customers. Users see and manage only the customers assigned to
--              them; admins see and manage all (admin override). Soft-deleted customers are hidden from everyone
--              but admins (restrictive policy). A DELETE becomes a soft delete (trigger customers_soft_delete).
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.customers enable row level security;

drop policy if exists "Users can view assigned customers" on public.customers;
drop policy if exists "Users can create customers assigned to themselves" on public.customers;
drop policy if exists "Users can update assigned customers" on public.customers;
drop policy if exists "Users can delete assigned customers" on public.customers;
drop policy if exists "Admins can manage all customers" on public.customers;
drop policy if exists "Hide soft-deleted customers" on public.customers;

create policy "Users can view assigned customers"
  on public.customers for select to authenticated
  using (assigned_to = (select auth.uid()));

create policy "Users can create customers assigned to themselves"
  on public.customers for insert to authenticated
  with check (assigned_to = (select auth.uid()));

-- with check: a user cannot hand a customer over to someone else (admins can, below)
create policy "Users can update assigned customers"
  on public.customers for update to authenticated
  using (assigned_to = (select auth.uid()))
  with check (assigned_to = (select auth.uid()));

create policy "Users can delete assigned customers"
  on public.customers for delete to authenticated
  using (assigned_to = (select auth.uid()));

create policy "Admins can manage all customers"
  on public.customers for all to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));

create policy "Hide soft-deleted customers"
  on public.customers as restrictive for select to anon, authenticated
  using (deleted_at is null or (select public.is_admin()));
