-- Seed: 008_seed_templates.sql
-- Description: Seven templates: three official public ones (created_by null, published by the service role), two
--   public ones by Olivia and Eddie, and two private ones (Olivia's 70..05, Oscar's 70..07).
-- Date: 2026-11-22

insert into public.templates (id, created_by, source_project_id, name, description, kind, category, content, is_public, is_official, use_count, created_at)
values
  ('70000000-0000-0000-0000-000000000001', null, null, 'Next.js + AI chat starter', 'App Router, streaming chat route, Tailwind.', 'project', 'starter',
   '{"framework": "nextjs", "files": ["app/page.tsx", "app/api/chat/route.ts"]}', true, true, 1284, now() - interval '300 days'),
  ('70000000-0000-0000-0000-000000000002', null, null, 'Landing page with waitlist', 'Static hero, features and a waitlist form.', 'project', 'marketing',
   '{"framework": "static", "files": ["index.html"]}', true, true, 932, now() - interval '280 days'),
  ('70000000-0000-0000-0000-000000000003', null, null, 'Explain this code', 'Prompt recipe: explain a file to a junior developer.', 'prompt', 'learning',
   '{"prompt": "Explain {{file}} step by step for a junior developer."}', true, true, 4410, now() - interval '270 days'),
  ('70000000-0000-0000-0000-000000000004', '00000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', 'Illustrated story generator', 'Drawing + sentence to a six-page story.', 'project', 'ai-apps',
   '{"framework": "nextjs", "knowledge": ["Story safety rules"]}', true, false, 57, now() - interval '10 days'),
  ('70000000-0000-0000-0000-000000000005', '00000000-0000-0000-0000-000000000001', null, 'My commit message prompt', 'Private prompt recipe.', 'prompt', 'workflow',
   '{"prompt": "Write a conventional commit message for this diff: {{diff}}"}', false, false, 0, now() - interval '8 days'),
  ('70000000-0000-0000-0000-000000000006', '00000000-0000-0000-0000-000000000002', null, 'Page-flip book component', 'Accessible page-flip reader with keyboard navigation.', 'component', 'ui',
   '{"framework": "react", "files": ["components/StoryBook.tsx"]}', true, false, 19, now() - interval '35 days'),
  ('70000000-0000-0000-0000-000000000007', '00000000-0000-0000-0000-000000000004', '10000000-0000-0000-0000-000000000003', 'Fridge photo to recipes', 'Private starter from Recipe Bot.', 'project', 'ai-apps',
   '{"framework": "react"}', false, false, 0, now() - interval '1 day');
