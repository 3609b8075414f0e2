-- Migration: 009_create_tasks_table.sql
-- Description: Creates public.tasks: units of work inside a workflow, with a task_status and an optional assignee.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.tasks (
  id uuid primary key default extensions.uuid_generate_v4(),
  workflow_id uuid not null references public.workflows (id) on delete cascade,
  name varchar(255) not null,
  description text,
  status public.task_status not null default 'todo',
  assigned_to uuid references public.users (id) on delete set null,
  created_by uuid references public.users (id) on delete set null,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  due_date timestamp with time zone
);

comment on table public.tasks is 'Tasks of a workflow.';

drop trigger if exists set_updated_at on public.tasks;
create trigger set_updated_at
before update on public.tasks
for each row execute procedure public.update_timestamp();

create index if not exists tasks_workflow_id_idx on public.tasks (workflow_id);
create index if not exists tasks_assigned_to_idx on public.tasks (assigned_to);
create index if not exists tasks_created_by_idx on public.tasks (created_by);
-- "my open tasks" board query
create index if not exists tasks_assigned_to_status_idx on public.tasks (assigned_to, status) where status <> 'done';

/*
-- Rollback for this migration
drop table if exists public.tasks;
*/
