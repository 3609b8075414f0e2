-- Seed: 004_seed_integrations.sql
-- Description: Twenty pre-configured integrations, each with the JSON schema of the config a user supplies.
-- Date: 2026-11-22

insert into public.integrations (name, display_name, description, category, auth_type, config_schema)
values
  ('slack',           'Slack',            'Send messages and react to events in Slack channels.', 'communication', 'oauth2',  '{"bot_token": "string", "default_channel": "string"}'),
  ('discord',         'Discord',          'Post to Discord channels through a bot or webhook.',   'communication', 'api_key', '{"webhook_url": "string"}'),
  ('gmail',           'Gmail',            'Read and send email with a Google account.',           'email',         'oauth2',  '{"refresh_token": "string", "from_address": "string"}'),
  ('sendgrid',        'SendGrid',         'Transactional email.',                                 'email',         'api_key', '{"api_key": "string", "from_address": "string"}'),
  ('twilio',          'Twilio',           'SMS and voice.',                                       'communication', 'basic',   '{"account_sid": "string", "auth_token": "string", "from_number": "string"}'),
  ('hubspot',         'HubSpot',          'CRM contacts, deals and companies.',                   'crm',           'oauth2',  '{"refresh_token": "string", "portal_id": "string"}'),
  ('salesforce',      'Salesforce',       'CRM objects and reports.',                             'crm',           'oauth2',  '{"refresh_token": "string", "instance_url": "string"}'),
  ('stripe',          'Stripe',           'Payments, invoices and subscriptions.',                'payments',      'api_key', '{"secret_key": "string", "webhook_secret": "string"}'),
  ('shopify',         'Shopify',          'Orders, products and customers of a store.',           'ecommerce',     'api_key', '{"shop_domain": "string", "access_token": "string"}'),
  ('google-sheets',   'Google Sheets',    'Read and append spreadsheet rows.',                    'productivity',  'oauth2',  '{"refresh_token": "string", "spreadsheet_id": "string"}'),
  ('notion',          'Notion',           'Pages and databases.',                                 'productivity',  'oauth2',  '{"access_token": "string", "database_id": "string"}'),
  ('airtable',        'Airtable',         'Bases and tables.',                                    'productivity',  'api_key', '{"api_key": "string", "base_id": "string"}'),
  ('trello',          'Trello',           'Boards, lists and cards.',                             'productivity',  'api_key', '{"api_key": "string", "token": "string"}'),
  ('jira',            'Jira',             'Issues and projects.',                                 'developer',     'basic',   '{"site_url": "string", "email": "string", "api_token": "string"}'),
  ('github',          'GitHub',           'Repositories, issues and pull requests.',              'developer',     'oauth2',  '{"access_token": "string", "owner": "string"}'),
  ('zendesk',         'Zendesk',          'Support tickets.',                                     'support',       'api_key', '{"subdomain": "string", "email": "string", "api_token": "string"}'),
  ('x-twitter',       'X (Twitter)',      'Publish posts and read mentions.',                     'social',        'oauth2',  '{"access_token": "string", "access_secret": "string"}'),
  ('linkedin',        'LinkedIn',         'Publish posts to a profile or page.',                  'social',        'oauth2',  '{"access_token": "string", "organization_id": "string"}'),
  ('webhook',         'Webhook',          'Call any HTTP endpoint.',                              'developer',     'none',    '{"url": "string", "method": "string", "headers": "object"}'),
  ('openai-api',      'OpenAI API',       'Bring your own OpenAI key.',                           'ai',            'api_key', '{"api_key": "string", "organization": "string"}');
