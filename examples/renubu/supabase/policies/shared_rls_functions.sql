-- Policies: shared_rls_functions.sql
-- Description: The RLS helper functions every *_rls.sql file in this folder uses, re-applied with create or replace
--              (idempotent). The migrations create them first (is_admin, has_role: core schema;
--              can_access_customer: core schema; can_access_execution: workflow_execution_tracking;
--              can_manage_features: features_tracking), so they exist before any policy file runs; this file is
--              where a body is changed. A new or changed signature needs a new migration.
--              All are security definer with an empty search_path and schema-qualified names, so a policy on
--              profiles or customers can call them without recursing into that table's own policies.
-- Author: Keel examples
-- Date: 2026-11-22

-- is_admin(): the caller has a live profile with role 'admin' (the seed's admin override pattern)
create or replace function public.is_admin()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.profiles p
    where p.id = (select auth.uid())
      and p.role = 'admin'
      and p.deleted_at is null
  );
$$;

-- has_role(roles): the caller has a live profile with one of these roles
create or replace function public.has_role(p_roles text[])
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.profiles p
    where p.id = (select auth.uid())
      and p.role = any (p_roles)
      and p.deleted_at is null
  );
$$;

-- can_access_customer(id): the customer is live and assigned to the caller, or the caller is an admin (admins
-- also reach soft-deleted customers, to restore them)
create or replace function public.can_access_customer(p_customer_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.customers c
    where c.id = p_customer_id
      and ((c.deleted_at is null and c.assigned_to = (select auth.uid())) or public.is_admin())
  );
$$;

-- can_access_execution(id): the caller owns the workflow execution, or is an admin
create or replace function public.can_access_execution(p_execution_id uuid)
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select exists (
    select 1 from public.workflow_executions e
    where e.id = p_execution_id
      and (e.user_id = (select auth.uid()) or public.is_admin())
  );
$$;

-- can_manage_features(): admins and PMs write the feature registry
create or replace function public.can_manage_features()
returns boolean
language sql
stable
security definer
set search_path = ''
as $$
  select public.has_role(array['admin', 'pm']);
$$;
