-- Policies: ai_models_rls.sql
-- Description: Row Level Security for public.ai_models. The catalogue is readable by everyone, anon included. There are no write policies:
--              only the service role (which bypasses RLS) maintains it.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.ai_models enable row level security;

drop policy if exists "AI models are viewable by everyone" on public.ai_models;

create policy "AI models are viewable by everyone"
  on public.ai_models
  for select
  to anon, authenticated
  using (true);
