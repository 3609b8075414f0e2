-- Migration: 20251007150000_workflow_tasks_system.sql
-- Description: workflow_tasks, the individual tasks within a workflow execution.
--              status: pending | in_progress | snoozed | completed | skipped. A task can be assigned to another
--              user (assigned_to), who then sees and updates it too.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.workflow_tasks (
  id uuid primary key default extensions.uuid_generate_v4(),
  workflow_execution_id uuid not null references public.workflow_executions (id) on delete cascade,
  title text not null,
  description text,
  status text not null default 'pending'
    check (status in ('pending', 'in_progress', 'snoozed', 'completed', 'skipped')),
  priority text not null default 'medium' check (priority in ('low', 'medium', 'high', 'urgent')),
  assigned_to uuid references auth.users (id) on delete set null,
  created_by uuid references auth.users (id) on delete set null,
  due_date date,
  snoozed_until timestamptz,
  completed_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint workflow_tasks_snoozed_check check (status <> 'snoozed' or snoozed_until is not null)
);

comment on table public.workflow_tasks is 'Tasks within workflow executions. Visible to the execution''s owner, the assignee and admins.';

alter table public.workflow_tasks enable row level security;

create index if not exists idx_workflow_tasks_workflow_execution_id on public.workflow_tasks (workflow_execution_id);
create index if not exists idx_workflow_tasks_assigned_to on public.workflow_tasks (assigned_to);
create index if not exists idx_workflow_tasks_created_by on public.workflow_tasks (created_by);
create index if not exists idx_workflow_tasks_due_date on public.workflow_tasks (due_date)
  where status in ('pending', 'in_progress');

drop trigger if exists workflow_tasks_updated_at on public.workflow_tasks;
create trigger workflow_tasks_updated_at
  before update on public.workflow_tasks
  for each row execute function public.update_updated_at_column();

/*
-- Rollback for this migration
drop table if exists public.workflow_tasks;
*/
