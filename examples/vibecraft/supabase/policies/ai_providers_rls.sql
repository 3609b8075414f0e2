-- Policies: ai_providers_rls.sql
-- Description: Row Level Security for public.ai_providers. Provider configurations hold API keys: each
--              user sees and manages only their own rows, whatever projects they share. Keys are stored encrypted
--              (api_key_encrypted); see save_ai_provider() and get_ai_provider_api_key().
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() is wrapped in a scalar subquery so it is evaluated once per statement, not per row.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.ai_providers enable row level security;

drop policy if exists "Users can view their own AI providers" on public.ai_providers;
drop policy if exists "Users can add their own AI providers" on public.ai_providers;
drop policy if exists "Users can update their own AI providers" on public.ai_providers;
drop policy if exists "Users can delete their own AI providers" on public.ai_providers;

create policy "Users can view their own AI providers"
  on public.ai_providers
  for select
  to authenticated
  using (user_id = (select auth.uid()));

create policy "Users can add their own AI providers"
  on public.ai_providers
  for insert
  to authenticated
  with check (user_id = (select auth.uid()));

create policy "Users can update their own AI providers"
  on public.ai_providers
  for update
  to authenticated
  using (user_id = (select auth.uid()))
  with check (user_id = (select auth.uid()));

create policy "Users can delete their own AI providers"
  on public.ai_providers
  for delete
  to authenticated
  using (user_id = (select auth.uid()));
