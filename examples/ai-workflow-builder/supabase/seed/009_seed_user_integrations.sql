-- Seed: 009_seed_user_integrations.sql
-- Description: Eight connected integrations with fake credentials, stored encrypted with encrypt_config().
--              The key comes from app.settings.encryption_key; when it is not set (a fresh local database), this
--              file uses the local development key 'keel-local-dev-only-encryption-key' for its own statement only.
--              To read these rows back locally:
--                select set_config('app.settings.encryption_key', 'keel-local-dev-only-encryption-key', false);
--              Never use that key anywhere but a local database.
-- Date: 2026-11-22

do $$
begin
  perform set_config(
    'app.settings.encryption_key',
    coalesce(nullif(current_setting('app.settings.encryption_key', true), ''), 'keel-local-dev-only-encryption-key'),
    true
  );

  insert into public.user_integrations (user_id, integration_id, name, config_encrypted, usage_count, last_used_at, last_tested_at, last_test_status)
  select v.user_id, i.id, v.name, public.encrypt_config(v.config), v.usage_count,
         now() - v.usage_count * interval '7 minutes', now() - interval '3 days', v.test_status
  from (
    values
      ('00000000-0000-0000-0000-000000000001'::uuid, 'slack',         'default',  '{"bot_token": "xoxb-local-dev-0001", "default_channel": "#sales"}'::jsonb,             142, 'ok'),
      ('00000000-0000-0000-0000-000000000001'::uuid, 'hubspot',       'default',  '{"refresh_token": "hs-local-dev-0001", "portal_id": "4411"}'::jsonb,                  96, 'ok'),
      ('00000000-0000-0000-0000-000000000001'::uuid, 'zendesk',       'support',  '{"subdomain": "acme", "email": "alice@flowbuilder.test", "api_token": "zd-local-dev-0001"}'::jsonb, 57, 'ok'),
      ('00000000-0000-0000-0000-000000000002'::uuid, 'slack',         'default',  '{"bot_token": "xoxb-local-dev-0002", "default_channel": "#cs-alerts"}'::jsonb,         64, 'ok'),
      ('00000000-0000-0000-0000-000000000002'::uuid, 'salesforce',    'default',  '{"refresh_token": "sf-local-dev-0002", "instance_url": "https://acme.my.salesforce.example"}'::jsonb, 31, 'failed'),
      ('00000000-0000-0000-0000-000000000003'::uuid, 'x-twitter',     'studio',   '{"access_token": "x-local-dev-0003", "access_secret": "x-secret-local-dev-0003"}'::jsonb, 48, 'ok'),
      ('00000000-0000-0000-0000-000000000003'::uuid, 'notion',        'default',  '{"access_token": "secret_local_dev_0003", "database_id": "clients"}'::jsonb,          22, 'ok'),
      ('00000000-0000-0000-0000-000000000004'::uuid, 'google-sheets', 'personal', '{"refresh_token": "gs-local-dev-0004", "spreadsheet_id": "recipes"}'::jsonb,           4, null)
  ) as v(user_id, integration_name, name, config, usage_count, test_status)
  join public.integrations i on i.name = v.integration_name;
end $$;
