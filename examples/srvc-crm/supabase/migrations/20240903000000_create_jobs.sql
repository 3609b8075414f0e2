-- Migration: 20240903000000_create_jobs.sql
-- Description: Creates public.jobs, the service jobs of a customer (status tracking, scheduling, time and price).
--              (customer_id, user_id) references customers (id, user_id): a job always belongs to the owner of its
--              customer. Deleting a customer deletes its jobs.
-- Author: Keel examples
-- Date: 2024-09-03

create table if not exists public.jobs (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  customer_id uuid not null,
  title text not null check (length(trim(title)) > 0),
  description text,
  status text not null default 'pending'
    check (status in ('pending', 'scheduled', 'in_progress', 'completed', 'cancelled')),
  scheduled_date timestamptz,
  completed_at timestamptz,
  estimated_hours numeric(6, 2) check (estimated_hours is null or estimated_hours >= 0),
  price numeric(12, 2) check (price is null or price >= 0),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint jobs_id_user_id_key unique (id, user_id),
  constraint jobs_customer_id_fkey foreign key (customer_id, user_id)
    references public.customers (id, user_id) on delete cascade,
  constraint jobs_completed_at_check check (completed_at is null or status = 'completed')
);

comment on table public.jobs is 'Service jobs and their tracking; each job belongs to one customer of the same user.';

drop trigger if exists set_updated_at on public.jobs;
create trigger set_updated_at
before update on public.jobs
for each row execute procedure public.update_timestamp();

create index if not exists idx_jobs_customer_id on public.jobs (customer_id);
create index if not exists idx_jobs_user_id on public.jobs (user_id);

alter table public.jobs enable row level security;

drop policy if exists "Users can access own jobs" on public.jobs;
create policy "Users can access own jobs"
  on public.jobs
  for all
  to authenticated
  using ((select auth.uid()) = user_id);

/*
-- Rollback for this migration
drop table if exists public.jobs;
*/
