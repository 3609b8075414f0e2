-- Migration: 20251022000001_phase3e_workflow_actions.sql
-- Description: workflow_actions (phase 3E), the actions taken during a workflow execution: snooze, skip, escalate,
--              send an email, schedule a meeting, ... with their payload in action_data. An append-only log for
--              users: they record actions on executions they can access; only admins correct or remove entries.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.workflow_actions (
  id uuid primary key default extensions.uuid_generate_v4(),
  workflow_execution_id uuid not null references public.workflow_executions (id) on delete cascade,
  performed_by uuid references auth.users (id) on delete set null,
  action_type text not null
    check (action_type in ('snooze', 'skip', 'escalate', 'complete', 'note', 'email_sent', 'meeting_scheduled')),
  action_data jsonb not null default '{}'::jsonb,
  slide_index integer,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.workflow_actions is 'Actions taken during workflow executions (log).';

alter table public.workflow_actions enable row level security;

create index if not exists idx_workflow_actions_workflow_execution_id on public.workflow_actions (workflow_execution_id);
create index if not exists idx_workflow_actions_performed_by on public.workflow_actions (performed_by);

drop trigger if exists workflow_actions_updated_at on public.workflow_actions;
create trigger workflow_actions_updated_at
  before update on public.workflow_actions
  for each row execute function public.update_updated_at_column();

/*
-- Rollback for this migration
drop table if exists public.workflow_actions;
*/
