-- Policies: contacts_rls.sql
-- Description: Row Level Security for public.contacts. Based on customer access: whoever can access the
--              (live) customer sees and manages its contacts (can_access_customer: assignee or admin).
--              Soft-deleted contacts are hidden from everyone but admins; a DELETE becomes a soft delete.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.contacts enable row level security;

drop policy if exists "Users can view contacts of their customers" on public.contacts;
drop policy if exists "Users can create contacts for their customers" on public.contacts;
drop policy if exists "Users can update contacts of their customers" on public.contacts;
drop policy if exists "Users can delete contacts of their customers" on public.contacts;
drop policy if exists "Hide soft-deleted contacts" on public.contacts;

create policy "Users can view contacts of their customers"
  on public.contacts for select to authenticated
  using (public.can_access_customer(customer_id));

create policy "Users can create contacts for their customers"
  on public.contacts for insert to authenticated
  with check (public.can_access_customer(customer_id));

create policy "Users can update contacts of their customers"
  on public.contacts for update to authenticated
  using (public.can_access_customer(customer_id))
  with check (public.can_access_customer(customer_id));

create policy "Users can delete contacts of their customers"
  on public.contacts for delete to authenticated
  using (public.can_access_customer(customer_id));

create policy "Hide soft-deleted contacts"
  on public.contacts as restrictive for select to anon, authenticated
  using (deleted_at is null or (select public.is_admin()));
