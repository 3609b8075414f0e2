-- Seed: 003_seed_customers.sql
-- Description: Customers of the two businesses.
--   Sam (Rivera Plumbing & Heating): 10000000-…-001 Margaret Chen, -002 Harbor View Apartments,
--                                    -003 Luis Romero, -004 Greenleaf Dental (no quotes or invoices)
--   Priya (Bright Spark Electrical): 10000000-…-005 Oakridge Community Church, -006 Tom & Jenny Walsh,
--                                    -007 Northside Bakery
-- Date: 2024-09-08

insert into public.customers (id, user_id, name, company_name, email, phone, address_line1, city, state, postal_code, notes)
values
  ('10000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', 'Margaret Chen',            null,                     'margaret.chen@example.com',   '(503) 555-0142', '1187 SE Alder St',       'Portland',   'OR', '97214', 'Prefers morning appointments. Dog in the back yard.'),
  ('10000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', 'Dan Ortiz',                'Harbor View Apartments', 'maintenance@harborview.example', '(503) 555-0199', '400 NW Harbor Blvd',     'Portland',   'OR', '97209', 'Property manager. 48 units; boiler room key at the front office.'),
  ('10000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000001', 'Luis Romero',              null,                     'lromero@example.com',         '(503) 555-0117', '2290 N Williams Ave',    'Portland',   'OR', '97227', null),
  ('10000000-0000-0000-0000-000000000004', '00000000-0000-0000-0000-000000000001', 'Dr. Aisha Karim',          'Greenleaf Dental',       'office@greenleafdental.example', '(503) 555-0160', '815 SW Jefferson St',    'Portland',   'OR', '97205', 'New lead from the website form.'),
  ('10000000-0000-0000-0000-000000000005', '00000000-0000-0000-0000-000000000002', 'Pastor Ruth Ellison',      'Oakridge Community Church', 'office@oakridgechurch.example', '(512) 555-0133', '3100 Oakridge Dr',       'Austin',     'TX', '78745', 'Invoice the church office, net 30.'),
  ('10000000-0000-0000-0000-000000000006', '00000000-0000-0000-0000-000000000002', 'Tom & Jenny Walsh',        null,                     'walsh.family@example.com',    '(512) 555-0178', '77 Barton Hills Dr',     'Austin',     'TX', '78704', 'Tesla Model Y; garage panel is 100A.'),
  ('10000000-0000-0000-0000-000000000007', '00000000-0000-0000-0000-000000000002', 'Marco Bellini',            'Northside Bakery',       'marco@northsidebakery.example', '(512) 555-0121', '5400 Burnet Rd',         'Austin',     'TX', '78756', null);
