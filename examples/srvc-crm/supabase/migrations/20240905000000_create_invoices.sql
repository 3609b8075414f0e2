-- Migration: 20240905000000_create_invoices.sql
-- Description: Creates public.invoices (invoice creation and payment tracking). An invoice bills a customer, and
--              optionally records the job and the accepted quote it came from, all of the same user. Invoices are
--              financial records: a customer that has invoices cannot be deleted (no action), while deleting a job
--              or quote only clears the link. Deleting the auth user removes everything of that user.
-- Author: Keel examples
-- Date: 2024-09-05

create table if not exists public.invoices (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  customer_id uuid not null,
  job_id uuid,
  quote_id uuid,
  invoice_number text not null,
  status text not null default 'draft'
    check (status in ('draft', 'sent', 'paid', 'overdue', 'void')),
  amount numeric(12, 2) not null check (amount >= 0),
  tax_amount numeric(12, 2) not null default 0 check (tax_amount >= 0),
  total numeric(12, 2) generated always as (amount + tax_amount) stored,
  issued_date date not null default current_date,
  due_date date not null,
  paid_at timestamptz,
  payment_method text check (payment_method is null or payment_method in ('card', 'ach', 'check', 'cash')),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint invoices_user_id_invoice_number_key unique (user_id, invoice_number),
  constraint invoices_due_date_check check (due_date >= issued_date),
  constraint invoices_paid_check check ((status = 'paid') = (paid_at is not null)),
  constraint invoices_customer_id_fkey foreign key (customer_id, user_id)
    references public.customers (id, user_id),
  constraint invoices_job_id_fkey foreign key (job_id, user_id)
    references public.jobs (id, user_id) on delete set null (job_id),
  constraint invoices_quote_id_fkey foreign key (quote_id, user_id)
    references public.quotes (id, user_id) on delete set null (quote_id)
);

comment on table public.invoices is 'Invoices and payment tracking; total = amount + tax_amount.';

drop trigger if exists set_updated_at on public.invoices;
create trigger set_updated_at
before update on public.invoices
for each row execute procedure public.update_timestamp();

create index if not exists idx_invoices_customer_id on public.invoices (customer_id);
create index if not exists idx_invoices_job_id on public.invoices (job_id);
create index if not exists idx_invoices_quote_id on public.invoices (quote_id);
-- user_id: covered by the leading column of invoices_user_id_invoice_number_key

alter table public.invoices enable row level security;

drop policy if exists "Users can access own invoices" on public.invoices;
create policy "Users can access own invoices"
  on public.invoices
  for all
  to authenticated
  using ((select auth.uid()) = user_id);

/*
-- Rollback for this migration
drop table if exists public.invoices;
*/
