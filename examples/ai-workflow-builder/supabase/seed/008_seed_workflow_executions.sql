-- Seed: 008_seed_workflow_executions.sql
-- Description: Execution history: eight runs of every active or paused workflow and two test runs of each draft,
--              every fifth run failed; then one node_executions row per node reached (a failed run stops at its
--              next-to-last node). Totals are written back to the executions and to the workflows' counters.
--              Team workflows are run by Alice and Bob in turn; Dave runs Alice's invoice workflow (edit share) once.
-- Date: 2026-11-22

with wf as (
  select w.id, w.user_id, w.team_id, w.status, w.trigger_type,
         row_number() over (order by w.id) as idx
  from public.workflows w
),
runs as (
  select wf.*, g.i
  from wf
  cross join lateral generate_series(1, case when wf.status = 'draft' then 2 else 8 end) as g(i)
)
insert into public.workflow_executions (workflow_id, user_id, status, trigger_source, input_data, output_data, error_message,
                                        started_at, completed_at, duration_ms, created_at)
select r.id,
       case
         when r.id = '20000000-0000-0000-0000-000000000004' and r.i = 3 then '00000000-0000-0000-0000-000000000004'::uuid
         when r.team_id = '10000000-0000-0000-0000-000000000001' and r.i % 2 = 0 then '00000000-0000-0000-0000-000000000002'::uuid
         when r.team_id = '10000000-0000-0000-0000-000000000001' then '00000000-0000-0000-0000-000000000001'::uuid
         else r.user_id
       end,
       case when r.i % 5 = 0 then 'failed' else 'succeeded' end::public.execution_status,
       case
         when r.status = 'draft' then 'manual'
         when r.trigger_type = 'schedule' then 'schedule'
         when r.trigger_type = 'webhook' then 'webhook'
         when r.trigger_type = 'event' then 'api'
         else 'manual'
       end,
       jsonb_build_object('run', r.i, 'source', 'seed'),
       case when r.i % 5 = 0 then null else jsonb_build_object('ok', true, 'items', (r.i * r.idx) % 17 + 1) end,
       case when r.i % 5 = 0 then 'Upstream API returned 429 Too Many Requests' end,
       now() - r.i * interval '1 day' - r.idx * interval '37 minutes',
       now() - r.i * interval '1 day' - r.idx * interval '37 minutes' + (800 + (r.i * r.idx * 137) % 9000) * interval '1 millisecond',
       800 + (r.i * r.idx * 137) % 9000,
       now() - r.i * interval '1 day' - r.idx * interval '37 minutes'
from runs r;

with nodes as (
  select n.id, n.workflow_id, n.node_type,
         substring(n.node_key from 6)::int as pos,
         count(*) over (partition by n.workflow_id) as node_count
  from public.workflow_nodes n
)
insert into public.node_executions (execution_id, node_id, status, input_data, output_data, error_message,
                                    started_at, completed_at, duration_ms, tokens_used, retry_count, created_at)
select e.id,
       n.id,
       case when e.status = 'failed' and n.pos = greatest(2, n.node_count - 1) then 'failed' else 'succeeded' end::public.execution_status,
       jsonb_build_object('step', n.pos),
       case when e.status = 'failed' and n.pos = greatest(2, n.node_count - 1) then null else jsonb_build_object('ok', true) end,
       case when e.status = 'failed' and n.pos = greatest(2, n.node_count - 1) then 'HTTP 429 from upstream service' end,
       e.started_at + (n.pos - 1) * (e.duration_ms / n.node_count) * interval '1 millisecond',
       e.started_at + n.pos * (e.duration_ms / n.node_count) * interval '1 millisecond',
       e.duration_ms / n.node_count,
       case when n.node_type = 'ai' then 300 + (n.pos * 131 + e.duration_ms) % 700 else 0 end,
       case when e.status = 'failed' and n.pos = greatest(2, n.node_count - 1) then 2 else 0 end,
       e.created_at
from public.workflow_executions e
join nodes n on n.workflow_id = e.workflow_id
where e.status <> 'failed' or n.pos <= greatest(2, n.node_count - 1);

update public.workflow_executions e
set tokens_used = t.tokens,
    cost_usd = round(t.tokens * 0.000012, 6)
from (
  select execution_id, sum(tokens_used)::int as tokens
  from public.node_executions
  group by execution_id
) t
where t.execution_id = e.id;

update public.workflows w
set execution_count = s.runs,
    last_executed_at = s.last_run
from (
  select workflow_id, count(*)::int as runs, max(started_at) as last_run
  from public.workflow_executions
  group by workflow_id
) s
where s.workflow_id = w.id;
