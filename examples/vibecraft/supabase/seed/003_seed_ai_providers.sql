-- Seed: 003_seed_ai_providers.sql
-- Description: Five AI provider configurations with fake API keys, stored encrypted with encrypt_api_key().
--              The key comes from app.settings.encryption_key; when it is not set (a fresh local database), this
--              file uses the DEV-ONLY key 'vibecraft-local-dev-only-encryption-key' for its own transaction only
--              (set_config(..., true)). To read these keys back locally:
--                select set_config('app.settings.encryption_key', 'vibecraft-local-dev-only-encryption-key', false);
--              Never use that key anywhere but a local database.
--   60000000-0000-0000-0000-000000000001  Olivia  openai     (her default)
--   60000000-0000-0000-0000-000000000002  Olivia  anthropic
--   60000000-0000-0000-0000-000000000003  Eddie   anthropic  (his default)
--   60000000-0000-0000-0000-000000000004  Oscar   openai
--   60000000-0000-0000-0000-000000000005  Oscar   ollama     (local model server: no key)
-- Date: 2026-11-22

do $$
begin
  perform set_config(
    'app.settings.encryption_key',
    coalesce(nullif(current_setting('app.settings.encryption_key', true), ''), 'vibecraft-local-dev-only-encryption-key'),
    true
  );

  insert into public.ai_providers (id, user_id, provider, name, api_key_encrypted, api_key_hint, base_url, default_model, is_default, settings, last_used_at)
  select v.id, v.user_id, v.provider, v.name, public.encrypt_api_key(v.api_key),
         case when v.api_key is null then null else right(v.api_key, 4) end,
         v.base_url, v.default_model, v.is_default, v.settings, now() - v.idle
  from (
    values
      ('60000000-0000-0000-0000-000000000001'::uuid, '00000000-0000-0000-0000-000000000001'::uuid, 'openai',    'default',  'sk-local-dev-olivia-openai-0001',    null::text,                'gpt-4o',            true,  '{"max_tokens": 4096}'::jsonb,                 interval '10 minutes'),
      ('60000000-0000-0000-0000-000000000002'::uuid, '00000000-0000-0000-0000-000000000001'::uuid, 'anthropic', 'default',  'sk-ant-local-dev-olivia-0002',       null,                      'claude-sonnet-4',   false, '{"max_tokens": 8192}'::jsonb,                 interval '3 days'),
      ('60000000-0000-0000-0000-000000000003'::uuid, '00000000-0000-0000-0000-000000000002'::uuid, 'anthropic', 'work',     'sk-ant-local-dev-eddie-0003',        null,                      'claude-sonnet-4',   true,  '{}'::jsonb,                                   interval '1 hour'),
      ('60000000-0000-0000-0000-000000000004'::uuid, '00000000-0000-0000-0000-000000000004'::uuid, 'openai',    'default',  'sk-local-dev-oscar-openai-0004',     null,                      'gpt-4o-mini',       false, '{"organization": "org-local-dev"}'::jsonb,    interval '2 days'),
      ('60000000-0000-0000-0000-000000000005'::uuid, '00000000-0000-0000-0000-000000000004'::uuid, 'ollama',    'laptop',   null,                                 'http://localhost:11434',  'llama3.1:8b',       true,  '{"num_ctx": 8192}'::jsonb,                    interval '6 hours')
  ) as v(id, user_id, provider, name, api_key, base_url, default_model, is_default, settings, idle);
end $$;
