#!/usr/bin/env node
/**
 * `npm run bench`: `keel db reset` on the ai-workflow-builder fixture (14 tables, RLS policies, seed data), on embedded
 * PGlite and on a local Postgres, against the peer measured in the same run on the same server: psql applying Keel's
 * shim and the same SQL files in the same order. Prints times and ratios; writes bench/results/latest.json.
 *
 *   node bench/run.js [--runs 5] [--warmup 1] [--no-embedded] [--no-postgres]
 *
 * Goals (from the issue): embedded reset ≤ 1.0 s wall; on Postgres ≤ 1.2× psql.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { reset, startLocalServer } from '../dist/index.js';
import { copyFixture, FIXTURE, REPO, resetFiles, writeShimSql } from './lib/fixture.js';
import { loadAverage, machineFacts } from './lib/machine.js';
import { measureRounds, summarise } from './lib/measure.js';
import { adminClient, findPsql, fingerprint, runPerFileScript, runSinglePsql, writePerFileScript } from './lib/postgres.js';
import { compare, comparisonTable, seriesTable, writeJson } from './lib/report.js';
import { embeddedScenarios, keelEnv, postgresScenarios } from './lib/scenarios.js';

const { values: opt } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    warmup: { type: 'string', default: '1' },
    'no-embedded': { type: 'boolean', default: false },
    'no-postgres': { type: 'boolean', default: false },
  },
});
const rounds = { runs: Number(opt.runs), warmup: Number(opt.warmup), log: (l) => console.log(l) };
const GOAL_EMBEDDED_S = 1.0;
const GOAL_PG_RATIO = 1.2;
const RESULTS = path.join(REPO, 'bench/results/latest.json');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-bench-'));
const removeTmp = () => fs.rmSync(tmp, { recursive: true, force: true });
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => (removeTmp(), process.exit(130))); // the server stops on exit
// The PGlite template cache goes to the temp dir too (nothing outside it is written); the first warm-up builds it.
process.env.KEEL_CACHE_DIR ??= path.join(tmp, 'cache');

const machine = machineFacts();
const out = {
  machine,
  config: { runs: rounds.runs, warmup: rounds.warmup, fixture: path.relative(REPO, FIXTURE) },
  series: {},
  comparisons: [],
  notes: [],
};
let server;
try {
  const warmDir = copyFixture(path.join(tmp, 'project'));
  const { files, counts, statements } = await resetFiles(warmDir);
  out.config.files = counts;
  out.config.statements = statements;
  console.log(
    `keel db reset benchmark: ${out.config.fixture} (${files.length} files: ${Object.entries(counts)
      .map(([k, v]) => `${v} ${k}`)
      .join(', ')}; ${statements} statements)`,
  );
  console.log(`${machine.date}  ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB  ${machine.os}`);
  console.log(
    `Node ${machine.node}, PGlite ${machine.pglite}, keel ${machine.commit ?? '?'}; load average ${machine.loadAverageAtStart.join(' ')}`,
  );
  console.log(`${rounds.warmup} warm-up + ${rounds.runs} measured runs per series, series interleaved (order rotated each round)\n`);

  if (!opt['no-embedded']) {
    console.log('embedded PGlite');
    const emb = embeddedScenarios({ warmDir, freshDir: copyFixture(path.join(tmp, 'fresh')) });
    Object.assign(out.series, await measureRounds(emb.scenarios, rounds));
    out.series['embedded: reset() durationMs as reported (excl. engine close)'] = {
      warmup: emb.reported.slice(0, rounds.warmup),
      ...summarise(emb.reported.slice(rounds.warmup)),
    };
    const [cliS, libS, freshS] = emb.scenarios.map((s) => out.series[s.name]);
    out.comparisons.push(
      compare('embedded: keel db reset (CLI wall)', cliS, undefined, { seconds: GOAL_EMBEDDED_S }),
      compare('embedded: reset() in-process (no Node start-up)', libS, undefined, undefined),
      compare('embedded: CLI, fresh data dir (first reset)', freshS, undefined, undefined),
    );
  }

  if (!opt['no-postgres']) {
    console.log('\nlocal Postgres');
    try {
      server = await startLocalServer();
    } catch (err) {
      console.log(`  could not start a local Postgres, skipped: ${err.message.split('\n')[0]}`);
      out.notes.push(`postgres skipped: ${err.message.split('\n')[0]}`);
    }
    if (server) await benchPostgres(server, warmDir, files);
  }

  out.machine.loadAverageAtEnd = loadAverage();
  console.log('\nper series (seconds)');
  console.log(seriesTable(out.series));
  console.log('\nsummary');
  console.log(comparisonTable(out.comparisons));
  for (const note of out.notes) console.log(`- ${note}`);
  const busy = Math.max(machine.loadAverageAtStart[0], out.machine.loadAverageAtEnd[0]) > machine.cores / 2;
  out.machine.busy = busy;
  console.log(
    `load average at start ${machine.loadAverageAtStart.join(' ')}, at end ${out.machine.loadAverageAtEnd.join(' ')} on ${machine.cores} cores${busy ? ': the machine was busy, absolute times are inflated; ratios within this run stay comparable' : ''}`,
  );
  writeJson(RESULTS, out);
  console.log(`\nwrote ${path.relative(process.cwd(), RESULTS)}`);
} catch (err) {
  console.error(`\nbenchmark failed: ${err.stack ?? err}`);
  process.exitCode = 1;
} finally {
  await server?.stop().catch(() => undefined);
  removeTmp();
}

async function benchPostgres(server, dir, files) {
  const admin = await adminClient(server.url);
  try {
    const {
      rows: [v],
    } = await admin.client.query('select version() as v');
    out.machine.postgres = v.v;
    console.log(`  server ${v.v} (${server.binDir}), fsync=off, synchronous_commit=off (startLocalServer's throwaway settings)`);
    const psql = findPsql();
    out.machine.psql = psql?.version ?? null;
    const shimFile = await writeShimSql(path.join(tmp, 'shim.sql'));
    const perFileScript = psql && writePerFileScript(path.join(tmp, 'psql-per-file.sh'), psql.path, [shimFile, ...files]);
    if (!psql) {
      console.log('  psql not found (PATH, /usr/lib/postgresql/*/bin): the peer could not be measured');
      out.notes.push('psql not found: the peer could not be measured; ratios are missing');
    } else console.log(`  peer: ${psql.version} (${psql.path})`);
    if (psql) await sanityCheck(admin, dir, psql.path, shimFile, files, perFileScript);

    const repeatDb = await admin.fresh('keel_repeat');
    await reset({ cwd: dir, dbUrl: repeatDb.url, yes: true, env: keelEnv() }); // "same DB again" starts populated
    const pgs = postgresScenarios({ admin, dir, psql: psql?.path, shimFile, files, perFileScript, repeatDb });
    Object.assign(out.series, await measureRounds(pgs.scenarios, rounds));
    await admin.drop(repeatDb);
    out.series['postgres: reset() durationMs as reported, fresh DB'] = {
      warmup: pgs.reported.slice(0, rounds.warmup),
      ...summarise(pgs.reported.slice(rounds.warmup)),
    };
    const [lib, cli, again, perFile, single] = pgs.scenarios.map((s) => out.series[s.name]);
    out.comparisons.push(
      compare('postgres: keel db reset (CLI) vs psql per file', cli, perFile, { ratio: GOAL_PG_RATIO }),
      compare('postgres: keel db reset (CLI) vs psql 1 process, 1 tx', cli, single, { ratio: GOAL_PG_RATIO }),
      compare('postgres: reset() in-process vs psql 1 process, 1 tx', lib, single, undefined),
      compare('postgres: reset() in-process, same DB again (info)', again, undefined, undefined),
    );
    out.notes.push(
      'keel (both): parses every file (libpg-query), opens the engine, drops user schemas, installs the Supabase shim, records history, each file in its transaction; CLI adds Node start-up',
      "psql (both peers): applies the same shim SQL first (timed), then the same files in Keel's order; no wipe, no history; every psql start-up is timed",
      'postgres: each run gets a new database on the same server (CREATE/DROP DATABASE not timed); "same DB again" resets a database already holding the fixture',
    );
  } finally {
    await admin.close();
  }
}

/** Before timing: Keel and both psql peers must build the same database (same objects, same row counts). */
async function sanityCheck(admin, dir, psql, shimFile, files, perFileScript) {
  const dbs = [await admin.fresh('check_keel'), await admin.fresh('check_each'), await admin.fresh('check_one')];
  try {
    await reset({ cwd: dir, dbUrl: dbs[0].url, yes: true, env: keelEnv() });
    await runPerFileScript(perFileScript, dbs[1].url);
    await runSinglePsql(psql, dbs[2].url, [shimFile, ...files]);
    const [k, e, o] = await Promise.all(dbs.map((db) => fingerprint(db.url)));
    const same = JSON.stringify(k) === JSON.stringify(e) && JSON.stringify(k) === JSON.stringify(o);
    out.sanity = { keel: k, psqlPerFile: e, psqlSingle: o, same };
    const line = `${k.tables} tables, ${k.policies} policies, ${k.functions} functions, ${k.triggers} triggers, ${k.totalRows} rows`;
    if (!same)
      throw new Error(
        `keel and psql built different databases:\nkeel ${JSON.stringify(k)}\npsql per file ${JSON.stringify(e)}\npsql single ${JSON.stringify(o)}`,
      );
    console.log(`  check: keel and both psql peers build the same database (${line} in public+auth)`);
  } finally {
    for (const db of dbs) await admin.drop(db);
  }
}
