-- Seed: 006_seed_mcp_integrations.sql
-- Description: 6 MCP integrations (4 enabled, 1 disabled, 1 deprecated), 6 user installs and 5 OAuth tokens with
--              fake values, stored encrypted with encrypt_oauth_token().
--              The key comes from app.settings.encryption_key; when it is not set (a fresh local database), this
--              file uses the local development key 'renubu-local-dev-only-encryption-key' for its own
--              transaction only (set_config(..., true); the previous value is put back at the end).
--              To read these tokens back locally (as the service role or the table owner):
--                select set_config('app.settings.encryption_key', 'renubu-local-dev-only-encryption-key', false);
--                select decrypt_oauth_token(access_token_encrypted) from oauth_tokens;
--              Never use that key anywhere but a local database.
-- Date: 2026-11-22

insert into public.mcp_integrations (id, slug, name, description, category, connection_type, status, auth_config, documentation_url)
values
  ('50000000-0000-0000-0000-000000000001', 'slack',           'Slack',            'Post renewal alerts and task reminders.', 'communication', 'oauth2',  'enabled',    '{"authorize_url": "https://slack.com/oauth/v2/authorize", "scopes": ["chat:write", "channels:read"]}', 'https://api.slack.com'),
  ('50000000-0000-0000-0000-000000000002', 'hubspot',         'HubSpot',          'Sync customers, contacts and deals.',      'crm',           'oauth2',  'enabled',    '{"authorize_url": "https://app.hubspot.com/oauth/authorize", "scopes": ["crm.objects.companies.read"]}', 'https://developers.hubspot.com'),
  ('50000000-0000-0000-0000-000000000003', 'salesforce',      'Salesforce',       'Sync accounts and opportunities.',         'crm',           'oauth2',  'enabled',    '{"authorize_url": "https://login.salesforce.com/services/oauth2/authorize", "scopes": ["api", "refresh_token"]}', 'https://developer.salesforce.com'),
  ('50000000-0000-0000-0000-000000000004', 'gong',            'Gong',             'Call transcripts for risk signals.',       'conversation',  'api_key', 'disabled',   '{}', 'https://help.gong.io'),
  ('50000000-0000-0000-0000-000000000005', 'zapier-webhooks', 'Zapier webhooks',  'Trigger Zaps on workflow events.',         'automation',    'webhook', 'enabled',    '{"events": ["workflow.completed", "task.snoozed"]}', 'https://zapier.com/apps/webhook'),
  ('50000000-0000-0000-0000-000000000006', 'legacy-zendesk',  'Zendesk (legacy)', 'Old ticket import; use the new connector.', 'support',      'api_key', 'deprecated', '{}', null)
on conflict (id) do nothing;

insert into public.user_integrations (id, user_id, integration_id, status, installed_at, last_synced_at, error_message, settings)
values
  ('51000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', '50000000-0000-0000-0000-000000000001', 'active',  now() - interval '90 days', now() - interval '1 hour',  null, '{"channel": "#cs-renewals"}'),
  ('51000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002', '50000000-0000-0000-0000-000000000002', 'active',  now() - interval '80 days', now() - interval '3 hours', null, '{}'),
  ('51000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000002', '50000000-0000-0000-0000-000000000003', 'error',   now() - interval '15 days', now() - interval '2 days',  'refresh token expired (invalid_grant)', '{}'),
  ('51000000-0000-0000-0000-000000000004', '00000000-0000-0000-0000-000000000003', '50000000-0000-0000-0000-000000000001', 'active',  now() - interval '60 days', now() - interval '5 hours', null, '{"channel": "#emea-cs"}'),
  ('51000000-0000-0000-0000-000000000005', '00000000-0000-0000-0000-000000000003', '50000000-0000-0000-0000-000000000005', 'pending', now() - interval '1 day',   null,                       null, '{}'),
  ('51000000-0000-0000-0000-000000000006', '00000000-0000-0000-0000-000000000001', '50000000-0000-0000-0000-000000000001', 'active',  now() - interval '120 days', now() - interval '1 day', null, '{"channel": "#cs-leadership"}')
on conflict (id) do nothing;

do $$
declare
  v_prev_key text := current_setting('app.settings.encryption_key', true);
begin
  perform set_config(
    'app.settings.encryption_key',
    coalesce(nullif(v_prev_key, ''), 'renubu-local-dev-only-encryption-key'),
    true
  );

  insert into public.oauth_tokens (id, user_integration_id, user_id, access_token_encrypted, refresh_token_encrypted, scopes, expires_at)
  values
    ('52000000-0000-0000-0000-000000000001', '51000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002',
     public.encrypt_oauth_token('xoxb-local-dev-casey-0001'), null, '{chat:write,channels:read}', null),
    ('52000000-0000-0000-0000-000000000002', '51000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000002',
     public.encrypt_oauth_token('hs-access-local-dev-casey-0002'), public.encrypt_oauth_token('hs-refresh-local-dev-casey-0002'),
     '{crm.objects.companies.read}', now() + interval '30 minutes'),
    ('52000000-0000-0000-0000-000000000003', '51000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000002',
     public.encrypt_oauth_token('sf-access-local-dev-casey-0003'), public.encrypt_oauth_token('sf-refresh-local-dev-casey-0003'),
     '{api,refresh_token}', now() - interval '2 days'),
    ('52000000-0000-0000-0000-000000000004', '51000000-0000-0000-0000-000000000004', '00000000-0000-0000-0000-000000000003',
     public.encrypt_oauth_token('xoxb-local-dev-marcus-0004'), null, '{chat:write,channels:read}', null),
    ('52000000-0000-0000-0000-000000000005', '51000000-0000-0000-0000-000000000006', '00000000-0000-0000-0000-000000000001',
     public.encrypt_oauth_token('xoxb-local-dev-ada-0005'), null, '{chat:write}', null)
  on conflict (id) do nothing;

  perform set_config('app.settings.encryption_key', coalesce(v_prev_key, ''), true);
end $$;
