-- Seed: 007_seed_workflow_nodes_and_connections.sql
-- Description: The nodes of every workflow (3 to 6 each) and the connections between them: node 1 is the trigger,
--              the last node the output, the ones between cycle through ai, condition, integration, transform and
--              action. Nodes are chained in order; each condition node also gets a 'false' branch to the output.
-- Date: 2026-11-22

with spec (idx, workflow_id, node_count) as (
  values
    (1,  '20000000-0000-0000-0000-000000000001'::uuid, 5),
    (2,  '20000000-0000-0000-0000-000000000002'::uuid, 6),
    (3,  '20000000-0000-0000-0000-000000000003'::uuid, 4),
    (4,  '20000000-0000-0000-0000-000000000004'::uuid, 5),
    (5,  '20000000-0000-0000-0000-000000000005'::uuid, 6),
    (6,  '20000000-0000-0000-0000-000000000006'::uuid, 5),
    (7,  '20000000-0000-0000-0000-000000000007'::uuid, 4),
    (8,  '20000000-0000-0000-0000-000000000008'::uuid, 4),
    (9,  '20000000-0000-0000-0000-000000000009'::uuid, 5),
    (10, '20000000-0000-0000-0000-000000000010'::uuid, 4),
    (11, '20000000-0000-0000-0000-000000000011'::uuid, 5),
    (12, '20000000-0000-0000-0000-000000000012'::uuid, 3)
),
models as (
  select id, name, display_name, row_number() over (order by name) as rn, count(*) over () as n
  from public.ai_models where model_type = 'chat'
),
tools as (
  select id, name, display_name, row_number() over (order by name) as rn, count(*) over () as n
  from public.integrations
),
steps as (
  select s.idx, s.workflow_id, s.node_count, g.pos, w.trigger_type,
         case
           when g.pos = 1 then 'trigger'
           when g.pos = s.node_count then 'output'
           else (array['ai', 'condition', 'integration', 'transform', 'action'])[((g.pos - 2) % 5) + 1]
         end::public.node_type as node_type
  from spec s
  join public.workflows w on w.id = s.workflow_id
  cross join lateral generate_series(1, s.node_count) as g(pos)
)
insert into public.workflow_nodes (workflow_id, node_key, node_type, name, config, position_x, position_y, ai_model_id, integration_id)
select st.workflow_id,
       'node_' || st.pos,
       st.node_type,
       case st.node_type
         when 'trigger' then initcap(st.trigger_type) || ' trigger'
         when 'ai' then 'Ask ' || m.display_name
         when 'integration' then t.display_name || ' step'
         when 'transform' then 'Map fields'
         when 'condition' then 'Is it relevant?'
         when 'action' then 'Notify owner'
         else 'Result'
       end,
       case st.node_type
         when 'trigger' then jsonb_build_object('type', st.trigger_type)
         when 'ai' then jsonb_build_object('model', m.name, 'prompt', 'Summarise the input in three bullet points.', 'temperature', 0.4)
         when 'integration' then jsonb_build_object('integration', t.name, 'operation', 'create')
         when 'transform' then jsonb_build_object('mapping', jsonb_build_object('title', '{{input.subject}}', 'body', '{{input.text}}'))
         when 'condition' then jsonb_build_object('expression', 'input.score >= 0.7')
         when 'action' then jsonb_build_object('channel', 'email', 'to', '{{workflow.owner}}')
         else jsonb_build_object('format', 'json')
       end,
       (st.pos - 1) * 260,
       case when st.node_type = 'condition' then 80 else 0 end,
       case when st.node_type = 'ai' then m.id end,
       case when st.node_type = 'integration' then t.id end
from steps st
left join models m on m.rn = ((st.idx + st.pos) % m.n) + 1
left join tools t on t.rn = ((st.idx * 3 + st.pos) % t.n) + 1;

-- Chain: node_1 -> node_2 -> ... ; edges leaving a condition node are its 'true' branch
insert into public.workflow_connections (workflow_id, source_node_id, target_node_id, source_handle, target_handle, label)
select a.workflow_id, a.id, b.id,
       case when a.node_type = 'condition' then 'true' else 'out' end,
       'in',
       case when a.node_type = 'condition' then 'relevant' end
from public.workflow_nodes a
join public.workflow_nodes b
  on b.workflow_id = a.workflow_id
 and substring(b.node_key from 6)::int = substring(a.node_key from 6)::int + 1;

-- The 'false' branch of each condition node skips to the output node
insert into public.workflow_connections (workflow_id, source_node_id, target_node_id, source_handle, target_handle, label, condition)
select c.workflow_id, c.id, o.id, 'false', 'in', 'not relevant', '{"expression": "input.score < 0.7"}'::jsonb
from public.workflow_nodes c
join public.workflow_nodes o on o.workflow_id = c.workflow_id and o.node_type = 'output'
where c.node_type = 'condition'
  and not exists (
    select 1 from public.workflow_connections x
    where x.source_node_id = c.id and x.target_node_id = o.id
  );
