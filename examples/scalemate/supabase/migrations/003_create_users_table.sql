-- Migration: 003_create_users_table.sql
-- Description: Creates public.users, the application profile of each Supabase Auth user. The id is the auth.users id
--              (on delete cascade). The seed document's password_hash column is intentionally absent: Supabase Auth
--              stores credentials in auth.users, and a second copy in public would be readable through the API.
--              The role column uses the user_role enum.
-- Author: Keel examples
-- Date: 2026-11-22

create table if not exists public.users (
  id uuid primary key references auth.users (id) on delete cascade,
  email varchar(255) not null unique,
  full_name varchar(255) not null,
  role public.user_role not null default 'member',
  created_at timestamp with time zone not null default now(),
  updated_at timestamp with time zone not null default now(),
  last_login timestamp with time zone,
  is_active boolean not null default true
);

comment on table public.users is 'Application profile of a Supabase Auth user (auth.users); credentials live in auth.users only.';
comment on column public.users.role is 'Application-wide role: admin, manager or member.';

drop trigger if exists set_updated_at on public.users;
create trigger set_updated_at
before update on public.users
for each row
execute procedure public.update_timestamp();

create index if not exists users_role_idx on public.users (role);

/*
-- Rollback for this migration
drop table if exists public.users;
*/
