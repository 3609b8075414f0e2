-- Seed: 005_seed_quotes.sql
-- Description: Quotes. Sam: 30000000-…-001 accepted (job 1), -002 sent (job 4), -003 draft (job 3).
--              Priya: -004 accepted (job 7), -005 declined (job 8).
-- Date: 2024-09-08

insert into public.quotes (id, user_id, customer_id, job_id, quote_number, status, line_items, subtotal, tax_amount, valid_until, sent_at, created_at)
values
  ('30000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000001', '20000000-0000-0000-0000-000000000001', 'Q-2024-001', 'accepted',
   '[{"description": "50-gal gas water heater", "qty": 1, "unit_price": 1350.00}, {"description": "Labour", "qty": 5, "unit_price": 160.00}]',
   2150.00, 0.00, current_date - 5,  now() - interval '25 days', now() - interval '26 days'),
  ('30000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000003', '20000000-0000-0000-0000-000000000004', 'Q-2024-002', 'sent',
   '[{"description": "Rough-in materials", "qty": 1, "unit_price": 1600.00}, {"description": "Labour", "qty": 16, "unit_price": 200.00}]',
   4800.00, 0.00, current_date + 25, now() - interval '3 days',  now() - interval '4 days'),
  ('30000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-000000000001', '10000000-0000-0000-0000-000000000002', '20000000-0000-0000-0000-000000000003', 'Q-2024-003', 'draft',
   '[{"description": "Supply line and shut-off valve", "qty": 1, "unit_price": 45.00}, {"description": "Labour", "qty": 1.5, "unit_price": 120.00}]',
   225.00, 0.00, current_date + 30, null,                       now() - interval '1 day'),
  ('30000000-0000-0000-0000-000000000004', '00000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000006', '20000000-0000-0000-0000-000000000007', 'Q-0101',     'accepted',
   '[{"description": "48A Level 2 charger (customer supplied)", "qty": 1, "unit_price": 0}, {"description": "60A circuit, conduit and labour", "qty": 1, "unit_price": 1250.00}]',
   1250.00, 100.00, current_date + 10, now() - interval '6 days', now() - interval '7 days'),
  ('30000000-0000-0000-0000-000000000005', '00000000-0000-0000-0000-000000000002', '10000000-0000-0000-0000-000000000007', '20000000-0000-0000-0000-000000000008', 'Q-0102',     'declined',
   '[{"description": "LED troffers", "qty": 14, "unit_price": 45.00}, {"description": "Labour", "qty": 6, "unit_price": 50.00}]',
   930.00, 50.00, current_date - 2, now() - interval '11 days', now() - interval '11 days');
