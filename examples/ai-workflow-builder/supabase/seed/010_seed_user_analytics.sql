-- Seed: 010_seed_user_analytics.sql
-- Description: 200 product events, 40 per persona, spread over the last six weeks; workflow events point at one of
--              the user's workflows. Sessions group seven consecutive events.
-- Date: 2026-11-22

insert into public.user_analytics (user_id, workflow_id, event_type, event_data, session_id, created_at)
select p.user_id,
       case when e.event_type like 'workflow_%' then p.workflow_id end,
       e.event_type,
       case e.event_type
         when 'login' then jsonb_build_object('method', 'password')
         when 'page_view' then jsonb_build_object('path', (array['/dashboard', '/workflows', '/templates', '/settings'])[(g.n % 4) + 1])
         when 'workflow_run' then jsonb_build_object('trigger', 'manual', 'duration_ms', 500 + (g.n * 97) % 4000)
         when 'workflow_edited' then jsonb_build_object('nodes_changed', (g.n % 3) + 1)
         when 'template_viewed' then jsonb_build_object('template', (array['Email triage', 'Lead enrichment', 'Churn alert'])[(g.n % 3) + 1])
         else jsonb_build_object('integration', (array['slack', 'notion', 'stripe'])[(g.n % 3) + 1])
       end,
       md5(p.user_id::text || ':' || (g.n / 7)::text)::uuid,
       now() - g.n * interval '5 hours'
from generate_series(1, 200) as g(n)
cross join lateral (
  select (array['login', 'page_view', 'workflow_run', 'workflow_edited', 'template_viewed', 'integration_connected'])[(g.n % 6) + 1] as event_type
) as e
join (
  values
    (0, '00000000-0000-0000-0000-000000000001'::uuid, '20000000-0000-0000-0000-000000000001'::uuid),
    (1, '00000000-0000-0000-0000-000000000002'::uuid, '20000000-0000-0000-0000-000000000008'::uuid),
    (2, '00000000-0000-0000-0000-000000000003'::uuid, '20000000-0000-0000-0000-000000000009'::uuid),
    (3, '00000000-0000-0000-0000-000000000004'::uuid, '20000000-0000-0000-0000-000000000012'::uuid),
    (4, '00000000-0000-0000-0000-000000000005'::uuid, '20000000-0000-0000-0000-000000000005'::uuid)
) as p(k, user_id, workflow_id) on p.k = g.n % 5;
