-- Seed: 002_seed_customers_and_contacts.sql
-- Description: 9 customers and 17 contacts.
--   Casey (…0002): Acme Logistics, Brightwave Health, Cobalt Retail, Delta Fintech, and Evergreen Foods (churned,
--                  soft-deleted below); Marcus (…0003): Foxglove Media, Granite Insurance, Harbor Analytics;
--   unassigned:    Ironclad Security (only admins see it).
--   Contacts: 2 per live assigned customer, 1 for Evergreen, 1 for Ironclad, and 1 soft-deleted contact at Acme.
-- Date: 2026-11-22

insert into public.customers (id, name, domain, industry, arr, renewal_date, risk_score, health_status, assigned_to, notes)
values
  ('10000000-0000-0000-0000-000000000001', 'Acme Logistics',    'acme-logistics.example', 'Logistics',   184000.00, date '2026-01-15', 72, 'at_risk',  '00000000-0000-0000-0000-000000000002', 'Champion left in Q3; new VP Ops is evaluating alternatives.'),
  ('10000000-0000-0000-0000-000000000002', 'Brightwave Health', 'brightwave.example',     'Healthcare',  96000.00, date '2026-03-01', 18, 'healthy',  '00000000-0000-0000-0000-000000000002', 'Expanding to two more clinics.'),
  ('10000000-0000-0000-0000-000000000003', 'Cobalt Retail',     'cobaltretail.example',   'Retail',      58000.00, date '2025-12-20', 55, 'at_risk',  '00000000-0000-0000-0000-000000000002', 'Usage down 30% since the holiday freeze.'),
  ('10000000-0000-0000-0000-000000000004', 'Delta Fintech',     'deltafin.example',       'Fintech',    240000.00, date '2026-06-30', 12, 'healthy',  '00000000-0000-0000-0000-000000000002', null),
  ('10000000-0000-0000-0000-000000000005', 'Evergreen Foods',   'evergreen.example',      'Food & Bev',  31000.00, date '2025-10-31', 95, 'critical', '00000000-0000-0000-0000-000000000002', 'Churned: did not renew.'),
  ('10000000-0000-0000-0000-000000000006', 'Foxglove Media',    'foxglove.example',       'Media',      120000.00, date '2026-02-10', 40, 'healthy',  '00000000-0000-0000-0000-000000000003', null),
  ('10000000-0000-0000-0000-000000000007', 'Granite Insurance', 'granite-ins.example',    'Insurance',  310000.00, date '2025-12-31', 81, 'critical', '00000000-0000-0000-0000-000000000003', 'Exec sponsor escalation open.'),
  ('10000000-0000-0000-0000-000000000008', 'Harbor Analytics',  'harbor.example',         'SaaS',        67000.00, date '2026-04-22', 25, 'healthy',  '00000000-0000-0000-0000-000000000003', null),
  ('10000000-0000-0000-0000-000000000009', 'Ironclad Security', 'ironclad.example',       'Security',   150000.00, date '2026-05-05', 33, 'healthy',  null,                                   'Awaiting CSM assignment after territory change.')
on conflict (id) do nothing;

insert into public.contacts (id, customer_id, name, email, phone, role, is_primary)
values
  ('11000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', 'Dana Whitfield', 'dana@acme-logistics.example',   '+1 415 555 0101', 'VP Operations',     true),
  ('11000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000001', 'Luis Ortega',    'luis@acme-logistics.example',   '+1 415 555 0102', 'Ops Analyst',       false),
  ('11000000-0000-0000-0000-000000000003', '10000000-0000-0000-0000-000000000002', 'Hannah Moss',    'hmoss@brightwave.example',      null,              'Director of IT',    true),
  ('11000000-0000-0000-0000-000000000004', '10000000-0000-0000-0000-000000000002', 'Raj Iyer',       'raj@brightwave.example',        null,              'Clinical Lead',     false),
  ('11000000-0000-0000-0000-000000000005', '10000000-0000-0000-0000-000000000003', 'Tom Becker',     'tbecker@cobaltretail.example',  '+1 312 555 0199', 'Head of eCommerce', true),
  ('11000000-0000-0000-0000-000000000006', '10000000-0000-0000-0000-000000000003', 'Mia Novak',      'mia@cobaltretail.example',      null,              'Procurement',       false),
  ('11000000-0000-0000-0000-000000000007', '10000000-0000-0000-0000-000000000004', 'Sofia Grant',    'sofia@deltafin.example',        null,              'CFO',               true),
  ('11000000-0000-0000-0000-000000000008', '10000000-0000-0000-0000-000000000004', 'Ben Adler',      'ben@deltafin.example',          null,              'Platform Engineer', false),
  ('11000000-0000-0000-0000-000000000009', '10000000-0000-0000-0000-000000000005', 'Greta Lund',     'greta@evergreen.example',       null,              'COO',               true),
  ('11000000-0000-0000-0000-000000000010', '10000000-0000-0000-0000-000000000006', 'Nora Quinn',     'nora@foxglove.example',         null,              'Managing Editor',   true),
  ('11000000-0000-0000-0000-000000000011', '10000000-0000-0000-0000-000000000006', 'Ivan Petrov',    'ivan@foxglove.example',         null,              'Ad Ops',            false),
  ('11000000-0000-0000-0000-000000000012', '10000000-0000-0000-0000-000000000007', 'Claire Dubois',  'cdubois@granite-ins.example',   '+44 20 5550 0107', 'COO',              true),
  ('11000000-0000-0000-0000-000000000013', '10000000-0000-0000-0000-000000000007', 'Owen Price',     'owen@granite-ins.example',      null,              'IT Manager',        false),
  ('11000000-0000-0000-0000-000000000014', '10000000-0000-0000-0000-000000000008', 'Priscilla Vaughn','pv@harbor.example',            null,              'Head of Data',      true),
  ('11000000-0000-0000-0000-000000000015', '10000000-0000-0000-0000-000000000008', 'Sam Okafor',     'sam@harbor.example',            null,              'Analyst',           false),
  ('11000000-0000-0000-0000-000000000016', '10000000-0000-0000-0000-000000000009', 'Victor Hale',    'victor@ironclad.example',       null,              'CISO',              true),
  ('11000000-0000-0000-0000-000000000017', '10000000-0000-0000-0000-000000000001', 'Pete Marsh',     'pete@acme-logistics.example',   null,              'Former champion',   false)
on conflict (id) do nothing;

-- Soft deletes (as the app does them: deleted_at, never a hard delete)
update public.customers set deleted_at = now() - interval '20 days'
where id = '10000000-0000-0000-0000-000000000005' and deleted_at is null;
update public.contacts set deleted_at = now() - interval '60 days'
where id = '11000000-0000-0000-0000-000000000017' and deleted_at is null;
