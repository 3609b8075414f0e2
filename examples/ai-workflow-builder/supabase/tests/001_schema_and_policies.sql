-- pgTAP suite (run with `keel test db`): the AI Workflow Builder's 14 tables, RLS on all of them, each table's
-- policies and the sharing/team helpers. Runs in one transaction that is rolled back.
begin;
select plan(31);

select tables_are('public', array[
  'ai_models', 'integrations', 'node_executions', 'team_members', 'teams', 'user_analytics', 'user_integrations', 'users',
  'workflow_connections', 'workflow_executions', 'workflow_nodes', 'workflow_shares', 'workflow_templates', 'workflows'
], 'the builder has exactly its 14 tables');
select tests.rls_enabled('public');
select enum_has_labels('public', 'team_role', array['viewer', 'editor', 'admin', 'owner'], 'team roles, lowest first');
select enum_has_labels('public', 'share_permission', array['view', 'edit'], 'share permissions, lowest first');

select policies_are('public', 'users', array['Users can create their own profile', 'Users can update their own profile',
  'Users can view their own profile', 'Users can view their teammates']);
select policies_are('public', 'teams', array['Members can view their teams', 'Team owners and admins can update teams',
  'Team owners can delete teams', 'Users can create teams they own']);
select policies_are('public', 'team_members', array['Members can leave and team admins can remove members',
  'Members can view their team''s members', 'Team owners and admins can add members', 'Team owners and admins can change members']);
select policies_are('public', 'workflows', array['Owners and team admins can delete workflows',
  'Owners, team editors and edit shares can update workflows', 'Public workflows are viewable by everyone',
  'Team members can view team workflows', 'Users can create their own workflows', 'Users can view their own workflows',
  'Users can view workflows shared with them']);
select policies_are('public', 'workflow_nodes', array['Workflow editors can add nodes', 'Workflow editors can delete nodes',
  'Workflow editors can update nodes', 'Workflow viewers can read nodes']);
select policies_are('public', 'workflow_connections', array['Workflow editors can add connections', 'Workflow editors can delete connections',
  'Workflow editors can update connections', 'Workflow viewers can read connections']);
select policies_are('public', 'workflow_executions', array['Runners can update their executions',
  'Runners, owners and team members can view executions', 'Workflow editors can start executions', 'Workflow owners can delete executions']);
select policies_are('public', 'node_executions', array['Execution viewers can view node results', 'Runners can record node results',
  'Runners can update node results']);
select policies_are('public', 'workflow_shares', array['Participants can remove shares', 'Participants can view shares',
  'Workflow owners can change shares', 'Workflow owners can share workflows']);
select policies_are('public', 'workflow_templates', array['Public templates are viewable by everyone', 'Users can create templates',
  'Users can delete their own templates', 'Users can update their own templates', 'Users can view their own templates']);
select policies_are('public', 'ai_models', array['AI models are viewable by everyone']);
select policies_are('public', 'integrations', array['Integrations are viewable by everyone']);
select policies_are('public', 'user_integrations', array['Users can connect integrations', 'Users can delete their own integrations',
  'Users can update their own integrations', 'Users can view their own integrations']);
select policies_are('public', 'user_analytics', array['Users can record their own events', 'Users can view their own events']);

select policy_roles_are('public', 'workflows', 'Public workflows are viewable by everyone', array['anon', 'authenticated']);
select policy_cmd_is('public', 'ai_models', 'AI models are viewable by everyone', 'select', 'the model catalogue is read-only');

select function_returns('public', 'is_team_member', array['uuid'], 'boolean');
select is_definer('public', 'is_team_member', array['uuid']);
select function_returns('public', 'has_team_role', array['uuid', 'team_role'], 'boolean');
select function_returns('public', 'has_workflow_share', array['uuid', 'share_permission'], 'boolean');
select function_returns('public', 'can_view_workflow', array['uuid'], 'boolean');
select is_definer('public', 'can_view_workflow', array['uuid']);
select function_returns('public', 'can_edit_workflow', array['uuid'], 'boolean');
select function_returns('public', 'can_view_workflow_runs', array['uuid'], 'boolean');

select has_trigger('public', 'workflows', 'guard_workflow_ownership', 'only a workflow''s owner moves or publishes it');
select has_trigger('public', 'users', 'guard_user_billing_fields', 'billing fields are guarded');
select has_trigger('auth', 'users', 'on_auth_user_created', 'sign-ups get a public.users profile');

select * from finish();
rollback;
