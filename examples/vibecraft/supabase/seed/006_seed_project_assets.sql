-- Seed: 006_seed_project_assets.sql
-- Description: Metadata of eight uploaded files (the bytes would live in object storage at storage_path); one
--   (40..04, in Storybook Generator) is soft-deleted.
-- Date: 2026-11-22

insert into public.project_assets (id, project_id, uploaded_by, file_name, storage_path, mime_type, size_bytes, checksum_sha256, width, height, alt_text, metadata, deleted_at, created_at)
values
  ('40000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', 'logo.svg',
   'projects/10000000-0000-0000-0000-000000000001/logo.svg', 'image/svg+xml', 4821, repeat('a1', 32), 512, 512, 'Storybook Generator logo: an open book with a moon', '{}', null, now() - interval '58 days'),
  ('40000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 'sample-drawing.png',
   'projects/10000000-0000-0000-0000-000000000001/sample-drawing.png', 'image/png', 384221, repeat('b2', 32), 1200, 900, 'A crayon drawing of a dragon eating an ice cream', '{"used_in_tests": true}', null, now() - interval '41 days'),
  ('40000000-0000-0000-0000-000000000003', '10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', 'watercolour-style.jpg',
   'projects/10000000-0000-0000-0000-000000000001/watercolour-style.jpg', 'image/jpeg', 221904, repeat('c3', 32), 1024, 1024, 'Reference illustration in soft watercolour', '{}', null, now() - interval '12 days'),
  ('40000000-0000-0000-0000-000000000004', '10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', 'draft-mockup.fig',
   'projects/10000000-0000-0000-0000-000000000001/draft-mockup.fig', 'application/octet-stream', 1893004, repeat('d4', 32), null, null, null, '{}', now() - interval '30 days', now() - interval '50 days'),
  ('40000000-0000-0000-0000-000000000005', '10000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', 'headshot.webp',
   'projects/10000000-0000-0000-0000-000000000002/headshot.webp', 'image/webp', 58320, repeat('e5', 32), 800, 800, 'Olivia smiling, outdoors', '{}', null, now() - interval '4 days'),
  ('40000000-0000-0000-0000-000000000006', '10000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', 'cv.pdf',
   'projects/10000000-0000-0000-0000-000000000002/cv.pdf', 'application/pdf', 142877, repeat('f6', 32), null, null, null, '{"pages": 2}', null, now() - interval '4 days'),
  ('40000000-0000-0000-0000-000000000007', '10000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000004', 'fridge-test.jpg',
   'projects/10000000-0000-0000-0000-000000000003/fridge-test.jpg', 'image/jpeg', 912003, repeat('07', 32), 3024, 4032, 'Inside of a fridge: eggs, spinach, chickpeas, lemons', '{}', null, now() - interval '14 days'),
  ('40000000-0000-0000-0000-000000000008', '10000000-0000-0000-0000-000000000004', '00000000-0000-0000-0000-000000000001', 'hero.png',
   'projects/10000000-0000-0000-0000-000000000004/hero.png', 'image/png', 301288, repeat('08', 32), 1600, 900, 'Abstract gradient hero image', '{}', null, now() - interval '199 days');
