-- Seed: 005_seed_project_knowledge.sql
-- Description: Nine knowledge base documents; one (30..05, in Storybook Generator) is soft-deleted: in the trash,
--   seen by editors and owners only.
-- Date: 2026-11-22

insert into public.project_knowledge (id, project_id, created_by, title, content, source_type, source_url, tags, include_in_context, metadata, deleted_at, created_at)
values
  ('30000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', 'Product brief',
   'Parents upload a drawing and one sentence; the app returns a six-page illustrated story. Reading age 4-7. No ads.', 'note', null, '{brief,product}', true, '{"words": 22}', null, now() - interval '60 days'),
  ('30000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', 'Brand style guide',
   'Palette: midnight #1d1b4b, peach #ffb38a, mint #9be7c4. Fonts: Baloo 2 for titles, Inter for body text.', 'document', null, '{design,brand}', true, '{"pages": 4}', null, now() - interval '50 days'),
  ('30000000-0000-0000-0000-000000000003', '10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 'Story safety rules',
   'No violence, no scary endings, no real brand names. Every story ends with the character going to sleep.', 'note', null, '{safety,prompting}', true, '{}', null, now() - interval '38 days'),
  ('30000000-0000-0000-0000-000000000004', '10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 'Next.js App Router docs: route handlers',
   'Route handlers let you create custom request handlers for a given route using the Web Request and Response APIs.', 'url', 'https://nextjs.org/docs/app/building-your-application/routing/route-handlers', '{reference}', false, '{"fetched": true}', null, now() - interval '37 days'),
  ('30000000-0000-0000-0000-000000000005', '10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 'Old prompt experiments',
   'Superseded by Story safety rules.', 'note', null, '{archive}', false, '{}', now() - interval '20 days', now() - interval '45 days'),
  ('30000000-0000-0000-0000-000000000006', '10000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', 'CV',
   'Olivia Owner - indie maker. 2019-2024 front-end lead at a studio; since 2024 building small AI products.', 'file', null, '{cv}', true, '{"source_file": "cv.pdf"}', null, now() - interval '4 days'),
  ('30000000-0000-0000-0000-000000000007', '10000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000004', 'Household allergies',
   'Nuts (all), shellfish. One vegetarian at home on weekdays.', 'note', null, '{diet}', true, '{}', null, now() - interval '14 days'),
  ('30000000-0000-0000-0000-000000000008', '10000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000004', 'Favourite cuisines',
   'Thai, Lebanese, anything with chickpeas.', 'note', null, '{diet,preferences}', true, '{}', null, now() - interval '13 days'),
  ('30000000-0000-0000-0000-000000000009', '10000000-0000-0000-0000-000000000004', '00000000-0000-0000-0000-000000000001', 'Waitlist copy',
   'Be the first to try it. One email when we launch, nothing else.', 'note', null, '{copy}', true, '{}', null, now() - interval '199 days');
