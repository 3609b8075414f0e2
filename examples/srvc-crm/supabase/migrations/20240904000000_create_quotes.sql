-- Migration: 20240904000000_create_quotes.sql
-- Description: Creates public.quotes (quote generation and management). A quote is for a customer and optionally
--              for one of that customer's jobs, both of the same user. Deleting the customer deletes its quotes;
--              deleting the job only clears quotes.job_id (on delete set null (job_id), PostgreSQL 15+).
-- Author: Keel examples
-- Date: 2024-09-04

create table if not exists public.quotes (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  customer_id uuid not null,
  job_id uuid,
  quote_number text not null,
  status text not null default 'draft'
    check (status in ('draft', 'sent', 'accepted', 'declined', 'expired')),
  line_items jsonb not null default '[]'::jsonb check (jsonb_typeof(line_items) = 'array'),
  subtotal numeric(12, 2) not null default 0 check (subtotal >= 0),
  tax_amount numeric(12, 2) not null default 0 check (tax_amount >= 0),
  total numeric(12, 2) generated always as (subtotal + tax_amount) stored,
  valid_until date,
  sent_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint quotes_id_user_id_key unique (id, user_id),
  constraint quotes_user_id_quote_number_key unique (user_id, quote_number),
  constraint quotes_customer_id_fkey foreign key (customer_id, user_id)
    references public.customers (id, user_id) on delete cascade,
  constraint quotes_job_id_fkey foreign key (job_id, user_id)
    references public.jobs (id, user_id) on delete set null (job_id)
);

comment on table public.quotes is 'Quotes for a customer (and optionally one job); total = subtotal + tax_amount.';

drop trigger if exists set_updated_at on public.quotes;
create trigger set_updated_at
before update on public.quotes
for each row execute procedure public.update_timestamp();

create index if not exists idx_quotes_customer_id on public.quotes (customer_id);
create index if not exists idx_quotes_job_id on public.quotes (job_id);
-- user_id: covered by the leading column of quotes_user_id_quote_number_key

alter table public.quotes enable row level security;

drop policy if exists "Users can access own quotes" on public.quotes;
create policy "Users can access own quotes"
  on public.quotes
  for all
  to authenticated
  using ((select auth.uid()) = user_id);

/*
-- Rollback for this migration
drop table if exists public.quotes;
*/
