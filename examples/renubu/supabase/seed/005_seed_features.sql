-- Seed: 005_seed_features.sql
-- Description: 7 features (one soft-deleted) and their change log. The status/priority changes are made as Priya
--              (the PM persona, through request.jwt.claims for this transaction only), so the features_log_update
--              trigger records 3 feature_updates with updated_by = Priya; 2 notes are added directly: 5 in all.
-- Date: 2026-11-22

insert into public.features (id, slug, title, description, status, phase, priority, owner_id, release_id)
values
  ('40000000-0000-0000-0000-000000000001', 'renewal-workflows',       'Renewal workflows',        'Slide-based renewal, QBR and risk review workflows.',  'active',  '0.1', 1, '00000000-0000-0000-0000-000000000004', (select id from public.releases where version = '0.1.0')),
  ('40000000-0000-0000-0000-000000000002', 'documentation-system',    'Documentation system',     'Versioned docs with full-text search and snapshots.',  'shipped', '0.1', 2, '00000000-0000-0000-0000-000000000004', (select id from public.releases where version = '0.1.0')),
  ('40000000-0000-0000-0000-000000000003', 'mcp-registry',            'MCP registry',             'Marketplace of MCP integrations with OAuth.',          'active',  '0.2', 1, '00000000-0000-0000-0000-000000000004', (select id from public.releases where version = '0.2.0')),
  ('40000000-0000-0000-0000-000000000004', 'workflow-snoozing',       'Workflow snoozing',        'snoozed_until and wake conditions on executions.',     'planned', '1',   2, '00000000-0000-0000-0000-000000000004', null),
  ('40000000-0000-0000-0000-000000000005', 'parking-lot',             'Parking lot',              'Capture ideas that are not tasks yet.',                'backlog', '2',   3, null,                                   null),
  ('40000000-0000-0000-0000-000000000006', 'human-os-check-ins',      'Human OS check-ins',       'Workflow check-ins and user patterns.',                'planned', '3',   4, null,                                   null),
  ('40000000-0000-0000-0000-000000000007', 'legacy-health-dashboard', 'Legacy health dashboard',  'Replaced by the risk score.',                          'backlog', null,  5, null,                                   null)
on conflict (id) do nothing;

do $$
declare
  v_prev_claims text := current_setting('request.jwt.claims', true);
begin
  perform set_config('request.jwt.claims',
    '{"sub": "00000000-0000-0000-0000-000000000004", "role": "authenticated"}', true);

  update public.features set status = 'shipped'  where slug = 'mcp-registry'       and status = 'active';
  update public.features set priority = 1        where slug = 'workflow-snoozing'  and priority = 2;
  update public.features set status = 'deferred' where slug = 'human-os-check-ins' and status = 'planned';

  perform set_config('request.jwt.claims', coalesce(v_prev_claims, ''), true);
end $$;

insert into public.feature_updates (id, feature_id, update_type, note, updated_by)
values
  ('41000000-0000-0000-0000-000000000001', '40000000-0000-0000-0000-000000000001', 'note', 'Customer council asked for a QBR template.',   '00000000-0000-0000-0000-000000000004'),
  ('41000000-0000-0000-0000-000000000002', '40000000-0000-0000-0000-000000000004', 'note', 'Blocked on wake_conditions design review.',    '00000000-0000-0000-0000-000000000001')
on conflict (id) do nothing;

update public.features set deleted_at = now() - interval '30 days'
where slug = 'legacy-health-dashboard' and deleted_at is null;
