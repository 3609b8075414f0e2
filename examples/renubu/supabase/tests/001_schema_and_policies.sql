-- pgTAP suite (run with `keel test db`): Renubu's tables, RLS on every table, each table's policies and the shared
-- RLS helper functions. Runs in one transaction that is rolled back.
begin;
select plan(32);

select tables_are('public', array[
  'contacts', 'customers', 'documentation', 'documentation_versions', 'feature_updates', 'features', 'help_articles',
  'mcp_integrations', 'oauth_tokens', 'profiles', 'releases', 'user_integrations', 'workflow_actions',
  'workflow_executions', 'workflow_tasks'
], 'Renubu has exactly its 15 tables');
select tests.rls_enabled('public');
select tests.rls_enabled('public', 'oauth_tokens');

select policies_are('public', 'profiles', array['Admins can manage all profiles', 'Hide soft-deleted profiles',
  'Users can create own profile', 'Users can update own profile', 'Users can view own profile']);
select policies_are('public', 'customers', array['Admins can manage all customers', 'Hide soft-deleted customers',
  'Users can create customers assigned to themselves', 'Users can delete assigned customers',
  'Users can update assigned customers', 'Users can view assigned customers']);
select policies_are('public', 'contacts', array['Hide soft-deleted contacts', 'Users can create contacts for their customers',
  'Users can delete contacts of their customers', 'Users can update contacts of their customers',
  'Users can view contacts of their customers']);
select policies_are('public', 'workflow_executions', array['Admins can manage all executions', 'Users can delete own executions',
  'Users can start own executions', 'Users can update own executions', 'Users can view own executions']);
select policies_are('public', 'workflow_tasks', array['Assignees can update their tasks', 'Assignees can view their tasks',
  'Users can create tasks in their executions', 'Users can delete tasks of their executions',
  'Users can update tasks of their executions', 'Users can view tasks of their executions']);
select policies_are('public', 'workflow_actions', array['Admins can delete actions', 'Admins can update actions',
  'Users can record actions on their executions', 'Users can view actions of their executions']);
select policies_are('public', 'documentation', array['Admins can manage documentation', 'Authenticated users can read documentation']);
select policies_are('public', 'documentation_versions',
  array['Admins can manage documentation versions', 'Authenticated users can read documentation versions']);
select policies_are('public', 'help_articles', array['Admins can manage help articles', 'Anyone can read published help articles']);
select policies_are('public', 'releases', array['Admins can manage releases', 'Anyone can read releases']);
select policies_are('public', 'features', array['Admins and PMs can manage features', 'Authenticated users can read features']);
select policies_are('public', 'feature_updates', array['Admins and PMs can add feature updates', 'Admins can delete feature updates',
  'Admins can update feature updates', 'Authenticated users can read feature updates']);
select policies_are('public', 'mcp_integrations', array['Admins can manage integrations', 'Authenticated users can read enabled integrations']);
select policies_are('public', 'user_integrations', array['Admins can manage all user integrations', 'Users can install enabled integrations',
  'Users can remove own integrations', 'Users can update own integrations', 'Users can view own integrations']);
-- OAuth tokens: only their owner, no admin override
select policies_are('public', 'oauth_tokens', array['Users can delete own tokens', 'Users can store own tokens',
  'Users can update own tokens', 'Users can view own tokens']);

select policy_roles_are('public', 'help_articles', 'Anyone can read published help articles', array['anon', 'authenticated']);
select policy_roles_are('public', 'releases', 'Anyone can read releases', array['anon', 'authenticated']);

select function_returns('public', 'is_admin', array[]::text[], 'boolean');
select is_definer('public', 'is_admin', array[]::text[]);
select function_returns('public', 'has_role', array['text[]'], 'boolean');
select is_definer('public', 'has_role', array['text[]']);
select function_returns('public', 'can_access_customer', array['uuid'], 'boolean');
select is_definer('public', 'can_access_customer', array['uuid']);
select function_returns('public', 'can_access_execution', array['uuid'], 'boolean');
select function_returns('public', 'can_manage_features', array[]::text[], 'boolean');
select function_returns('public', 'create_release_snapshot', array['text', 'date', 'text[]'], 'uuid');
select isnt_definer('public', 'create_release_snapshot', array['text', 'date', 'text[]']);

select has_trigger('public', 'features', 'features_log_update', 'status/phase/priority changes are logged');
select has_trigger('public', 'profiles', 'profiles_guard_privileges', 'profiles are guarded against self-promotion');

select * from finish();
rollback;
