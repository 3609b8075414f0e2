-- pgTAP suite (run with `keel test db`): VibeCraft Studio's nine tables, RLS on all of them, each table's policies
-- and the project-membership helpers. Runs in one transaction that is rolled back.
begin;
select plan(24);

select tables_are('public', array[
  'ai_providers', 'project_assets', 'project_knowledge', 'project_members', 'project_prompts', 'project_settings',
  'projects', 'templates', 'users'
], 'VibeCraft has exactly its 9 tables');
select tests.rls_enabled('public');
select enum_has_labels('public', 'project_role', array['viewer', 'editor', 'owner'], 'project roles, lowest first');

select policies_are('public', 'users', array['Users can create their own profile', 'Users can update their own profile',
  'Users can view their collaborators', 'Users can view their own profile']);
select policies_are('public', 'projects', array['Editors can update projects', 'Members can view their projects',
  'Owners can delete their projects', 'Users can create their own projects']);
select policies_are('public', 'project_members', array['Members can leave and owners can remove members',
  'Members can view their project''s members', 'Owners can add members', 'Owners can change members']);
select policies_are('public', 'project_prompts', array['Authors and owners can delete prompts', 'Authors can update their prompts',
  'Editors can send prompts', 'Members can view the project''s prompts']);
select policies_are('public', 'project_knowledge', array['Editors can add documents', 'Editors can delete documents',
  'Editors can update documents', 'Editors can view trashed documents', 'Members can view live documents']);
select policies_are('public', 'project_assets', array['Editors can add assets', 'Editors can delete assets',
  'Editors can update assets', 'Editors can view trashed assets', 'Members can view live assets']);
select policies_are('public', 'project_settings', array['Members can view project settings', 'Owners can create project settings',
  'Owners can delete project settings', 'Owners can update project settings']);
select policies_are('public', 'ai_providers', array['Users can add their own AI providers', 'Users can delete their own AI providers',
  'Users can update their own AI providers', 'Users can view their own AI providers']);
select policies_are('public', 'templates', array['Public templates are viewable by everyone', 'Users can create templates',
  'Users can delete their own templates', 'Users can update their own templates', 'Users can view their own templates']);

select policy_roles_are('public', 'templates', 'Public templates are viewable by everyone', array['anon', 'authenticated']);
select policy_cmd_is('public', 'project_prompts', 'Editors can send prompts', 'insert', 'prompts are sent by editors');

select function_returns('public', 'is_project_member', array['uuid', 'project_role'], 'boolean');
select is_definer('public', 'is_project_member', array['uuid', 'project_role']);
select function_returns('public', 'is_project_owner', array['uuid'], 'boolean');
select function_returns('public', 'shares_project_with', array['uuid'], 'boolean');
select ok(not has_function_privilege('anon', 'public.is_project_member(uuid, public.project_role)', 'execute'),
  'anon cannot call is_project_member()');
select ok(has_function_privilege('authenticated', 'public.is_project_member(uuid, public.project_role)', 'execute'),
  'authenticated can call is_project_member()');

select has_trigger('public', 'projects', 'add_owner_membership', 'a new project gets its owner''s membership');
select has_trigger('public', 'project_members', 'guard_primary_owner_membership', 'the owner''s membership is guarded');
select has_trigger('public', 'users', 'guard_immutable_columns', 'users.id, email and plan are immutable through the API');
select col_is_fk('public', 'project_members', 'user_id', 'project_members.user_id references users');

select * from finish();
rollback;
