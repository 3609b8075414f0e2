-- Migration: 010_create_automation_rules_table.sql
-- Description: Creates public.automation_rules. trigger_type uses the trigger_type enum. Beyond the seed document's
--              columns, a rule may be attached to a workflow (workflow_id, nullable): such rules are shared with
--              the workflow's team; rules without a workflow are personal to their creator.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.automation_rules (
  id uuid primary key default extensions.uuid_generate_v4(),
  name varchar(255) not null,
  description text,
  trigger_type public.trigger_type not null,
  trigger_conditions jsonb not null default '{}'::jsonb,
  actions jsonb not null default '[]'::jsonb,
  workflow_id uuid references public.workflows (id) on delete cascade,
  created_by uuid references public.users (id) on delete set null,
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  is_active boolean not null default true
);

comment on table public.automation_rules is 'Automation rules; team-visible when attached to a workflow, personal otherwise.';

drop trigger if exists set_updated_at on public.automation_rules;
create trigger set_updated_at
before update on public.automation_rules
for each row execute procedure public.update_timestamp();

create index if not exists automation_rules_workflow_id_idx on public.automation_rules (workflow_id);
create index if not exists automation_rules_created_by_idx on public.automation_rules (created_by);

/*
-- Rollback for this migration
drop table if exists public.automation_rules;
*/
