-- Policies: oauth_tokens_rls.sql
-- Description: Row Level Security for public.oauth_tokens. Users can only access their own tokens, for
--              all four operations; there is deliberately no admin override (a token is a credential). The
--              values are ciphertext either way: encrypt/decrypt_oauth_token are executable by service_role only.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.oauth_tokens enable row level security;

drop policy if exists "Users can view own tokens" on public.oauth_tokens;
drop policy if exists "Users can store own tokens" on public.oauth_tokens;
drop policy if exists "Users can update own tokens" on public.oauth_tokens;
drop policy if exists "Users can delete own tokens" on public.oauth_tokens;

create policy "Users can view own tokens"
  on public.oauth_tokens for select to authenticated
  using (user_id = (select auth.uid()));

-- the token must belong to one of the caller's own installed integrations
create policy "Users can store own tokens"
  on public.oauth_tokens for insert to authenticated
  with check (
    user_id = (select auth.uid())
    and exists (
      select 1 from public.user_integrations ui
      where ui.id = user_integration_id and ui.user_id = (select auth.uid())
    )
  );

create policy "Users can update own tokens"
  on public.oauth_tokens for update to authenticated
  using (user_id = (select auth.uid()))
  with check (
    user_id = (select auth.uid())
    and exists (
      select 1 from public.user_integrations ui
      where ui.id = user_integration_id and ui.user_id = (select auth.uid())
    )
  );

create policy "Users can delete own tokens"
  on public.oauth_tokens for delete to authenticated
  using (user_id = (select auth.uid()));
