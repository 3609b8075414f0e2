-- Migration: 20240909000000_add_crm_performance_indexes.sql
-- Description: The seed's "essential indexes for CRM performance" and idx_jobs_status (from its troubleshooting
--              section). The seed creates them CONCURRENTLY; this file runs in a transaction like every migration,
--              where CONCURRENTLY is not allowed, so they are plain CREATE INDEX (on a large live table, move them to
--              a `-- keel:no-transaction` file and add CONCURRENTLY back).
-- Author: Keel examples
-- Date: 2024-09-09

create index if not exists idx_jobs_status on public.jobs (status);
create index if not exists idx_customers_email on public.customers (email);
create index if not exists idx_jobs_scheduled_date on public.jobs (scheduled_date);
create index if not exists idx_quotes_created_at on public.quotes (created_at);
create index if not exists idx_invoices_due_date on public.invoices (due_date);

/*
-- Rollback for this migration
drop index if exists public.idx_invoices_due_date;
drop index if exists public.idx_quotes_created_at;
drop index if exists public.idx_jobs_scheduled_date;
drop index if exists public.idx_customers_email;
drop index if exists public.idx_jobs_status;
*/
