#!/usr/bin/env node
/**
 * `keel db validate` orphan benchmark: Keel's orphan check (validateOn in-process, orphans only: catalog read in the
 * snapshot, one set-based query per foreign key with count + 5 sample keys) against one hand-written anti-join
 * (`select count(*) … left join … where p.id is null`), measured in the same run on the same database.
 *
 *   npm run build && node bench/validate.js [--runs 5] [--warmup 1] [--rows 1000000] [--pglite-rows 100000] [--no-pglite] [--db-url <url>]
 *
 * Data: parent 10,000 rows; child `--rows` rows (default 1,000,000) of which 100 reference missing parents, the
 * foreign key added NOT VALID afterwards. Without --db-url a throwaway local Postgres is started (startLocalServer,
 * as bench/run.js does). Also measures embedded PGlite (in memory) at `--pglite-rows` (default 100,000).
 * Goal (issue 5): Keel ≤ 1.5× the hand-written anti-join. Writes bench/results/validate.json.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startLocalServer } from '../dist/db/postgres/local-server.js';
import { openEngine } from '../dist/db/open.js';
import { validateOn } from '../dist/features/validate/run.js';
import { loadAverage, machineFacts } from './lib/machine.js';
import { measureRounds } from './lib/measure.js';
import { compare, comparisonTable, seriesTable, writeJson } from './lib/report.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = path.join(REPO, 'bench/results/validate.json');
const GOAL_RATIO = 1.5;
const PARENTS = 10_000;
const ORPHANS = 100;

const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    rows: { type: 'string', default: '1000000' },
    'pglite-rows': { type: 'string', default: '100000' },
    'no-pglite': { type: 'boolean', default: false },
    'db-url': { type: 'string' },
  },
});
const rounds = { runs: Number(opt.runs), warmup: Number(opt.warmup), log: (l) => console.log(l) };
const rows = Number(opt.rows);
const pgliteRows = Number(opt['pglite-rows']);

const ANTI_JOIN = 'select count(*) as n from public.child c left join public.parent p on p.id = c.parent_id where p.id is null';

/** The fixture, as one script: parent, child with ORPHANS planted among `n` rows, then the FK NOT VALID. */
function fixtureSql(n) {
  const every = Math.floor(n / ORPHANS);
  return `
drop table if exists public.child; drop table if exists public.parent;
create table public.parent (id bigint primary key, name text not null);
create table public.child (id bigint primary key, parent_id bigint not null, payload text not null);
insert into public.parent select i, 'parent ' || i from generate_series(1, ${PARENTS}) i;
insert into public.child
  select i, case when i % ${every} = 0 and i / ${every} <= ${ORPHANS} then ${PARENTS} + i else 1 + (i % ${PARENTS}) end, 'row ' || i
    from generate_series(1, ${n}) i;
alter table public.child add constraint child_parent_id_fkey foreign key (parent_id) references public.parent (id) not valid;
analyze public.parent; analyze public.child;`;
}

/** Keel's orphan check and the anti-join on one engine; both must find exactly ORPHANS rows before timing. */
async function scenarios(engine, label) {
  const keel = () => validateOn(engine, { schemas: ['public'], only: ['orphans'] });
  const peer = async () => Number((await engine.query(ANTI_JOIN)).rows[0].n);
  const r = await keel();
  const found = r.checks.find((c) => c.check === 'orphaned_rows');
  const peerCount = await peer();
  if (found?.count !== ORPHANS || peerCount !== ORPHANS)
    throw new Error(`${label}: expected ${ORPHANS} orphans; keel found ${found?.count}, the anti-join ${peerCount}`);
  console.log(
    `  check: keel and the anti-join both find ${ORPHANS} orphans; keel's samples ${JSON.stringify(found.samples)} (${r.summary.queries} data queries)`,
  );
  const time = (fn) => async () => {
    const t0 = performance.now();
    await fn();
    return (performance.now() - t0) / 1000;
  };
  return [
    { name: `${label}: keel validate --only orphans (in-process)`, run: time(keel) },
    { name: `${label}: hand-written anti-join count(*)`, run: time(peer) },
  ];
}

const machine = machineFacts();
const out = {
  machine,
  config: {
    runs: rounds.runs,
    warmup: rounds.warmup,
    parents: PARENTS,
    childRows: rows,
    orphans: ORPHANS,
    pgliteChildRows: opt['no-pglite'] ? null : pgliteRows,
  },
  series: {},
  comparisons: [],
  notes: [],
};
let server;
let admin;
let dbName;
try {
  console.log(`keel db validate orphan benchmark: parent ${PARENTS} rows, child ${rows} rows, ${ORPHANS} orphans (FK NOT VALID)`);
  console.log(`${machine.date}  ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB  ${machine.os}`);
  console.log(
    `Node ${machine.node}, PGlite ${machine.pglite}, keel ${machine.commit ?? '?'}; load average ${machine.loadAverageAtStart.join(' ')}`,
  );
  console.log(`${rounds.warmup} warm-up + ${rounds.runs} measured runs per series, series interleaved (order rotated each round)\n`);

  let adminUrl = opt['db-url'];
  if (!adminUrl) {
    server = await startLocalServer();
    adminUrl = server.url;
  }
  admin = new pg.Client({ connectionString: adminUrl, application_name: 'keel-bench-admin' });
  await admin.connect();
  dbName = `keel_bench_validate_${process.pid}`;
  await admin.query(`create database "${dbName}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${dbName}`;
  const {
    rows: [v],
  } = await admin.query('select version() as v');
  out.machine.postgres = v.v;
  console.log(`local Postgres: ${v.v}${server ? ' (startLocalServer: fsync=off, synchronous_commit=off)' : ''}`);

  const engine = await openEngine({ kind: 'postgres', url: url.toString() }, { command: 'bench validate' });
  try {
    const t0 = performance.now();
    await engine.exec(fixtureSql(rows));
    console.log(`  fixture built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    const pgs = await scenarios(engine, 'postgres');
    Object.assign(out.series, await measureRounds(pgs, rounds));
    const [k, p] = pgs.map((s) => out.series[s.name]);
    out.comparisons.push(compare(`postgres, ${rows} child rows: keel orphans vs anti-join`, k, p, { ratio: GOAL_RATIO }));
  } finally {
    await engine.close();
  }

  if (!opt['no-pglite']) {
    console.log(`\nembedded PGlite (in memory), child ${pgliteRows} rows`);
    const lite = await openEngine({ kind: 'pglite', memory: true }, { command: 'bench validate' });
    try {
      const t0 = performance.now();
      await lite.exec(fixtureSql(pgliteRows));
      console.log(`  fixture built in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const lites = await scenarios(lite, 'pglite');
      Object.assign(out.series, await measureRounds(lites, rounds));
      const [k, p] = lites.map((s) => out.series[s.name]);
      out.comparisons.push(compare(`pglite, ${pgliteRows} child rows: keel orphans vs anti-join (info)`, k, p, undefined));
    } finally {
      await lite.close();
    }
  }

  out.notes.push(
    'keel: validateOn(engine, { only: [orphans] }) — BEGIN REPEATABLE READ READ ONLY, catalog of public (schemas, tables, columns, constraints), one NOT EXISTS anti-join per foreign key materialised once for count + 5 sorted sample keys, implied-reference scan; COMMIT',
    'peer: the bare anti-join count(*) on the same engine connection (no catalog, no samples, no transaction)',
  );
  out.machine.loadAverageAtEnd = loadAverage();
  console.log('\nper series (seconds)');
  console.log(seriesTable(out.series));
  console.log('\nsummary');
  console.log(comparisonTable(out.comparisons));
  for (const note of out.notes) console.log(`- ${note}`);
  writeJson(RESULTS, out);
  console.log(`\nwrote ${path.relative(process.cwd(), RESULTS)}`);
} catch (err) {
  console.error(`\nbenchmark failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  if (admin && dbName) await admin.query(`drop database if exists "${dbName}" with (force)`).catch(() => undefined);
  await admin?.end().catch(() => undefined);
  await server?.stop().catch(() => undefined);
}
