-- Policies: help_articles_rls.sql
-- Description: Row Level Security for public.help_articles. Public read pattern: anyone, signed in or
--              not, reads published live articles; admins write and see drafts and soft-deleted articles.
--              Idempotent: enables RLS, drops every policy this file defines, then creates them again.
--              auth.uid() and the helpers are wrapped in scalar subqueries, evaluated once per statement.
-- Author: Keel examples
-- Date: 2026-11-22

alter table public.help_articles enable row level security;

drop policy if exists "Anyone can read published help articles" on public.help_articles;
drop policy if exists "Admins can manage help articles" on public.help_articles;

create policy "Anyone can read published help articles"
  on public.help_articles for select to anon, authenticated
  using (is_published = true and deleted_at is null);

create policy "Admins can manage help articles"
  on public.help_articles for all to authenticated
  using ((select public.is_admin()))
  with check ((select public.is_admin()));
