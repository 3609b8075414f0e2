-- Migration: 20251007140440_workflow_execution_tracking.sql
-- Description: workflow_executions, the runtime instances of workflows (renewal prep, QBR, risk review, ...).
--              status: not_started | in_progress | completed | snoozed; current_slide_index is the step the user is
--              on. Each execution belongs to a user (user_id) and usually to a customer (customer_id).
--              can_access_execution(uuid) is the helper behind the workflow_tasks and workflow_actions policies.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.workflow_executions (
  id uuid primary key default extensions.uuid_generate_v4(),
  user_id uuid not null references auth.users (id) on delete cascade,
  customer_id uuid references public.customers (id) on delete set null,
  workflow_type text not null,
  workflow_name text not null,
  status text not null default 'not_started'
    check (status in ('not_started', 'in_progress', 'completed', 'snoozed')),
  current_slide_index integer not null default 0 check (current_slide_index >= 0),
  total_slides integer check (total_slides is null or total_slides > 0),
  started_at timestamptz,
  completed_at timestamptz,
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflow_executions_completed_at_check
    check (status <> 'completed' or completed_at is not null)
);

comment on table public.workflow_executions is 'Runtime instances of workflows. Users see their own executions; admins see all.';

alter table public.workflow_executions enable row level security;

create index if not exists idx_workflow_executions_user_id on public.workflow_executions (user_id);
create index if not exists idx_workflow_executions_customer_id on public.workflow_executions (customer_id);
create index if not exists idx_workflow_executions_created_at on public.workflow_executions (created_at desc);

drop trigger if exists workflow_executions_updated_at on public.workflow_executions;
create trigger workflow_executions_updated_at
  before update on public.workflow_executions
  for each row execute function public.update_updated_at_column();

-- can_access_execution(id): the caller owns the execution, or is an admin.
create or replace function public.can_access_execution(p_execution_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.workflow_executions e
    where e.id = p_execution_id
      and (e.user_id = (select auth.uid()) or public.is_admin())
  );
$$;

/*
-- Rollback for this migration
drop function if exists public.can_access_execution(uuid);
drop table if exists public.workflow_executions;
*/
