-- Migration: 006_create_project_knowledge_table.sql
-- Description: Creates public.project_knowledge, the project's knowledge base (notes, specs, pasted docs, web
--              pages) that is given to the AI as context. Soft delete: deleted_at set = in the trash, visible to
--              editors and the owner (who can restore it), hidden from viewers.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.project_knowledge (
  id uuid primary key default gen_random_uuid(),
  project_id uuid not null references public.projects (id) on delete cascade,
  created_by uuid references public.users (id) on delete set null,
  title text not null check (length(trim(title)) between 1 and 200),
  content text not null default '',
  source_type text not null default 'note' check (source_type in ('note', 'document', 'url', 'file')),
  source_url text,
  tags text[] not null default '{}',
  include_in_context boolean not null default true,
  metadata jsonb not null default '{}'::jsonb,
  deleted_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.project_knowledge is 'Knowledge base documents of a project; deleted_at marks a soft-deleted document.';

drop trigger if exists set_updated_at on public.project_knowledge;
create trigger set_updated_at
before update on public.project_knowledge
for each row execute procedure public.update_timestamp();

create index if not exists project_knowledge_project_id_idx on public.project_knowledge (project_id);
create index if not exists project_knowledge_created_by_idx on public.project_knowledge (created_by);
-- The AI context builder reads the live documents of a project
create index if not exists project_knowledge_live_context_idx on public.project_knowledge (project_id)
  where deleted_at is null and include_in_context;

/*
-- Rollback for this migration
drop table if exists public.project_knowledge;
*/
