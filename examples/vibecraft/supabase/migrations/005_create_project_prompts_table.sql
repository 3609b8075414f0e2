-- Migration: 005_create_project_prompts_table.sql
-- Description: Creates public.project_prompts, the AI conversation history of a project: one row per turn (the
--              member's prompt and the model's response), with the provider configuration used, token counts and
--              status. Turns of one conversation share a conversation_id.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.project_prompts (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  user_id uuid not null references public.users (id) on delete cascade,
  conversation_id uuid not null default gen_random_uuid(),
  ai_provider_id uuid,  -- references public.ai_providers, added by 010_create_ai_providers_table.sql
  model text,
  prompt text not null check (length(prompt) > 0),
  response text,
  status text not null default 'completed' check (status in ('pending', 'streaming', 'completed', 'failed')),
  tokens_input integer not null default 0 check (tokens_input >= 0),
  tokens_output integer not null default 0 check (tokens_output >= 0),
  metadata jsonb not null default '{}'::jsonb,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.project_prompts is 'AI conversation history of a project: one prompt/response turn per row.';

drop trigger if exists set_updated_at on public.project_prompts;
create trigger set_updated_at
before update on public.project_prompts
for each row execute procedure public.update_timestamp();

-- The chat panel reads a project's history newest first; also serves the project_id foreign key
create index if not exists project_prompts_project_id_created_at_idx on public.project_prompts (project_id, created_at desc);
create index if not exists project_prompts_user_id_idx on public.project_prompts (user_id);
create index if not exists project_prompts_conversation_id_idx on public.project_prompts (conversation_id);
create index if not exists project_prompts_ai_provider_id_idx on public.project_prompts (ai_provider_id);

/*
-- Rollback for this migration
drop table if exists public.project_prompts;
*/
