-- Seed: 003_seed_ai_models.sql
-- Description: The AI model catalogue (illustrative names, prices per 1k tokens in USD).
-- Date: 2026-11-22

insert into public.ai_models (name, display_name, provider, model_type, context_window, max_output_tokens, input_cost_per_1k, output_cost_per_1k, capabilities, default_config, is_active)
values
  ('gpt-4o',             'GPT-4o',              'openai',    'chat',       128000, 16384, 0.002500, 0.010000, '{text,vision,tools,json}', '{"temperature": 0.7}', true),
  ('gpt-4o-mini',        'GPT-4o mini',         'openai',    'chat',       128000, 16384, 0.000150, 0.000600, '{text,vision,tools,json}', '{"temperature": 0.7}', true),
  ('claude-sonnet',      'Claude Sonnet',       'anthropic', 'chat',       200000, 8192,  0.003000, 0.015000, '{text,vision,tools}',      '{"temperature": 0.5}', true),
  ('claude-haiku',       'Claude Haiku',        'anthropic', 'chat',       200000, 8192,  0.000800, 0.004000, '{text,tools}',             '{"temperature": 0.5}', true),
  ('gemini-flash',       'Gemini Flash',        'google',    'chat',       1000000, 8192, 0.000100, 0.000400, '{text,vision}',            '{"temperature": 0.7}', true),
  ('llama-3-70b',        'Llama 3 70B',         'meta',      'chat',       8192,   4096,  0.000590, 0.000790, '{text}',                   '{"temperature": 0.6}', true),
  ('text-embedding-3',   'Text Embedding 3',    'openai',    'embedding',  8191,   null,  0.000020, 0.000000, '{embeddings}',             '{"dimensions": 1536}', true),
  ('whisper-1',          'Whisper',             'openai',    'speech-to-text', null, null, 0.006000, 0.000000, '{audio}',                 '{}',                   false);
