-- Migration: 008_add_workflows_full_text_search.sql
-- Description: Full-text search on workflows (seed document's pattern): a search_vector tsvector column kept up to
--              date by a trigger (name weighted A, description B) and a GIN index on it.
--              Query with: where search_vector @@ websearch_to_tsquery('english', 'lead intake')
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.workflows add column if not exists
  search_vector tsvector;

create or replace function public.workflows_search_update()
returns trigger
language plpgsql
set search_path = ''
as $$
begin
  new.search_vector =
    setweight(to_tsvector('english', coalesce(new.name, '')), 'A') ||
    setweight(to_tsvector('english', coalesce(new.description, '')), 'B');
  return new;
end;
$$;

drop trigger if exists workflows_search_update_trigger on public.workflows;
create trigger workflows_search_update_trigger
before insert or update of name, description on public.workflows
for each row execute procedure public.workflows_search_update();

create index if not exists workflows_search_idx
  on public.workflows using gin (search_vector);

-- Backfill rows that existed before this migration
update public.workflows
set search_vector =
  setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
  setweight(to_tsvector('english', coalesce(description, '')), 'B')
where search_vector is null;

/*
-- Rollback for this migration
drop trigger if exists workflows_search_update_trigger on public.workflows;
drop function if exists public.workflows_search_update();
drop index if exists public.workflows_search_idx;
alter table public.workflows drop column if exists search_vector;
*/
