-- Migration: 20240906000000_create_subscription_tables.sql
-- Description: Creates the SaaS billing tables: public.subscription_plans (the tiers; active plans are public,
--              anon included, so the pricing page can list them) and public.user_subscriptions (which plan each user
--              is on). A user has at most one live (trialing, active or past_due) subscription. A plan that has
--              subscriptions cannot be deleted: deactivate it (is_active = false) instead.
-- Author: Keel examples
-- Date: 2024-09-06

create table if not exists public.subscription_plans (
  id uuid primary key default gen_random_uuid(),
  name text not null unique,
  description text,
  price_monthly numeric(10, 2) not null check (price_monthly >= 0),
  price_yearly numeric(10, 2) check (price_yearly is null or price_yearly >= 0),
  max_customers integer check (max_customers is null or max_customers > 0),
  max_users integer not null default 1 check (max_users > 0),
  features jsonb not null default '[]'::jsonb,
  is_active boolean not null default true,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);

comment on table public.subscription_plans is 'SaaS subscription tiers; active ones are readable by everyone.';
comment on column public.subscription_plans.max_customers is 'null = unlimited';

drop trigger if exists set_updated_at on public.subscription_plans;
create trigger set_updated_at
before update on public.subscription_plans
for each row execute procedure public.update_timestamp();

create table if not exists public.user_subscriptions (
  id uuid primary key default gen_random_uuid(),
  user_id uuid not null references auth.users (id) on delete cascade,
  plan_id uuid not null references public.subscription_plans (id),
  status text not null default 'trialing'
    check (status in ('trialing', 'active', 'past_due', 'canceled')),
  billing_interval text not null default 'month' check (billing_interval in ('month', 'year')),
  current_period_start timestamptz not null default now(),
  current_period_end timestamptz not null,
  cancel_at_period_end boolean not null default false,
  canceled_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  constraint user_subscriptions_period_check check (current_period_end > current_period_start)
);

comment on table public.user_subscriptions is 'Which plan each SRVC user is on; written by billing (service role) and admins.';

drop trigger if exists set_updated_at on public.user_subscriptions;
create trigger set_updated_at
before update on public.user_subscriptions
for each row execute procedure public.update_timestamp();

create index if not exists idx_user_subscriptions_user_id on public.user_subscriptions (user_id);
create index if not exists idx_user_subscriptions_plan_id on public.user_subscriptions (plan_id);
create unique index if not exists user_subscriptions_one_live_per_user
  on public.user_subscriptions (user_id)
  where status in ('trialing', 'active', 'past_due');

alter table public.subscription_plans enable row level security;
alter table public.user_subscriptions enable row level security;

drop policy if exists "Active plans are viewable by everyone" on public.subscription_plans;
create policy "Active plans are viewable by everyone"
  on public.subscription_plans
  for select
  to anon, authenticated
  using (is_active = true);

drop policy if exists "Users can view own subscriptions" on public.user_subscriptions;
create policy "Users can view own subscriptions"
  on public.user_subscriptions
  for select
  to authenticated
  using ((select auth.uid()) = user_id);

/*
-- Rollback for this migration
drop table if exists public.user_subscriptions;
drop table if exists public.subscription_plans;
*/
