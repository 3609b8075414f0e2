-- pgTAP suite (run with `keel test db`): ScaleMate's tables, RLS coverage, the policy set of every table, and the
-- signatures of the shared RLS helper functions. Runs in one transaction that is rolled back.
begin;
select plan(29);

select has_table('public', 'users', 'public.users exists');
select has_table('public', 'teams', 'public.teams exists');
select has_table('public', 'team_members', 'public.team_members exists');
select has_table('public', 'workflows', 'public.workflows exists');
select has_table('public', 'tasks', 'public.tasks exists');
select has_table('public', 'automation_rules', 'public.automation_rules exists');
select has_table('public', 'workflow_versions', 'public.workflow_versions exists');

select tests.rls_enabled('public');

select policies_are('public', 'users', array[
  'Admins can manage all users', 'Hide soft-deleted users', 'Users can create their own profile',
  'Users can delete their own profile', 'Users can update their own profile', 'Users can view their own profile',
  'Users can view their teammates'
]);
select policies_are('public', 'teams', array[
  'Admins can manage all teams', 'Team members can view their teams', 'Team owners and admins can update teams',
  'Team owners can delete teams', 'Users can create teams they own'
]);
select policies_are('public', 'team_members', array[
  'Admins can manage all team members', 'Members can leave and team admins can remove members',
  'Members can view their team''s members', 'Team owners and admins can add members',
  'Team owners and admins can update members'
]);
select policies_are('public', 'workflows', array[
  'Admins can manage all workflows', 'Creators can read their workflows', 'Team members can create workflows',
  'Team members can read workflows', 'Team owners and admins can delete workflows',
  'Team owners and admins can update workflows'
]);
select policies_are('public', 'tasks', array[
  'Admins can manage all tasks', 'Assignees can read their tasks', 'Assignees, creators and managers can update tasks',
  'Creators and managers can delete tasks', 'Team members can create tasks', 'Team members can read tasks'
]);
select policies_are('public', 'automation_rules', array[
  'Admins can manage all rules', 'Rule owners and workflow managers can delete rules',
  'Rule owners and workflow managers can update rules', 'Team members can read workflow rules',
  'Users can create rules', 'Users can read their own rules'
]);
select policies_are('public', 'workflow_versions', array[
  'Admins can manage all workflow versions', 'Team members can read workflow versions',
  'Team members can save workflow versions', 'Team members can update workflow versions',
  'Workflow managers can delete workflow versions'
]);

-- The soft-delete filter is restrictive, for reads, and applies to anon as well as signed-in users.
select policy_cmd_is('public', 'users', 'Hide soft-deleted users', 'select', 'the soft-delete filter applies to reads');
select policy_roles_are('public', 'users', 'Hide soft-deleted users', array['anon', 'authenticated']);
select policy_roles_are('public', 'teams', 'Team members can view their teams', array['authenticated']);

-- The RLS helpers: security definer (they read tables the caller may not see), returning boolean.
select function_returns('public', 'is_admin', array[]::text[], 'boolean');
select is_definer('public', 'is_admin', array[]::text[]);
select function_returns('public', 'is_team_member', array['uuid'], 'boolean');
select is_definer('public', 'is_team_member', array['uuid']);
select function_returns('public', 'is_team_admin', array['uuid'], 'boolean');
select is_definer('public', 'is_team_admin', array['uuid']);
select function_returns('public', 'shares_team_with', array['uuid'], 'boolean');
select function_returns('public', 'can_read_workflow', array['uuid'], 'boolean');
select function_returns('public', 'can_manage_workflow', array['uuid'], 'boolean');
select function_returns('public', 'is_live_user', array[]::text[], 'boolean');

-- The API roles cannot call the trigger functions directly.
select ok(not has_function_privilege('authenticated', 'public.handle_new_auth_user()', 'execute'),
  'authenticated cannot execute handle_new_auth_user()');

select * from finish();
rollback;
