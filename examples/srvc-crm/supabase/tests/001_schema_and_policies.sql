-- pgTAP suite (run with `keel test db`): SRVC CRM's tables, RLS coverage, every table's policies and the is_admin()
-- helper. Runs in one transaction that is rolled back.
begin;
select plan(23);

select has_table('public', 'customers', 'public.customers exists');
select has_table('public', 'jobs', 'public.jobs exists');
select has_table('public', 'quotes', 'public.quotes exists');
select has_table('public', 'invoices', 'public.invoices exists');
select has_table('public', 'subscription_plans', 'public.subscription_plans exists');
select has_table('public', 'user_subscriptions', 'public.user_subscriptions exists');
select has_table('public', 'user_roles', 'public.user_roles exists');
select has_column('public', 'customers', 'notes', 'the 20240908 migration added customers.notes');

select tests.rls_enabled('public');

-- users_own_data + admin_full_access on the business tables; public_read of active plans
select policies_are('public', 'customers', array['Admins have full access to customers', 'Users can access own customers']);
select policies_are('public', 'jobs', array['Admins have full access to jobs', 'Users can access own jobs']);
select policies_are('public', 'quotes', array['Admins have full access to quotes', 'Users can access own quotes']);
select policies_are('public', 'invoices', array['Admins have full access to invoices', 'Users can access own invoices']);
select policies_are('public', 'subscription_plans',
  array['Active plans are viewable by everyone', 'Admins have full access to subscription_plans']);
select policies_are('public', 'user_subscriptions',
  array['Admins have full access to user_subscriptions', 'Users can view own subscriptions']);
select policies_are('public', 'user_roles', array['Admins have full access to user_roles', 'Users can view own roles']);

select policy_cmd_is('public', 'customers', 'Users can access own customers', 'all', 'owners may do everything with their customers');
select policy_roles_are('public', 'subscription_plans', 'Active plans are viewable by everyone', array['anon', 'authenticated']);
select policy_cmd_is('public', 'user_subscriptions', 'Users can view own subscriptions', 'select',
  'users only read their subscriptions (billing writes them)');

select function_returns('public', 'is_admin', array[]::text[], 'boolean');
select is_definer('public', 'is_admin', array[]::text[]);
select ok(has_function_privilege('anon', 'public.is_admin()', 'execute'), 'anon may call is_admin() (policies do)');
select ok(not has_function_privilege('authenticated', 'public.update_timestamp()', 'execute'),
  'authenticated cannot call the update_timestamp() trigger function');

select * from finish();
rollback;
