/**
 * `keel test db` against the real pg_prove (what `supabase test db` runs): the suite of test-db-fixture.ts (a helpers
 * file committing outside any transaction, PREPARE of one name in two files, files with their own begin/rollback, a
 * failing test, an error mid-file, a bad plan) run by Keel on the server, then by pg_prove file by file on the same
 * Keel-built database, then by Keel on PGlite: the same per-file tests, passed, failed, planned and verdict everywhere.
 *
 * Needs pg_prove (Debian: libtap-parser-sourcehandler-pgtap-perl) and the test server. Without pg_prove the file is
 * skipped, saying why, unless it is expected: KEEL_EXPECT_PG_PROVE=1 (.ci/run sets it when pg_prove is installed), or
 * CI set on a machine with apt-get and KEEL_EXPECT_PG_PROVE not 0.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDb, type TestDbResult } from '../../src/index.js';
import { createTestDatabase, pgAdminUrl, type TestDatabase } from '../support/postgres.js';
import { makeProject, type TempProject } from '../support/projects.js';
import { CLI_SUITE, CLI_SUITE_COUNTS, MIGRATION } from './test-db-fixture.js';

const which = (cmd: string) => {
  try {
    return execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
};
const pgProve = which('pg_prove');
const expectation = process.env.KEEL_EXPECT_PG_PROVE;
const required = expectation === '1' || (Boolean(process.env.CI) && expectation !== '0' && which('apt-get') !== undefined);
const skipReason = !pgAdminUrl()
  ? 'no PostgreSQL test server'
  : !pgProve && !required
    ? `pg_prove is not installed${process.env.KEEL_NO_PG_PROVE_REASON ? ` (${process.env.KEEL_NO_PG_PROVE_REASON})` : ''}; apt-get install libtap-parser-sourcehandler-pgtap-perl to run it`
    : undefined;
if (skipReason) console.warn(`[keel tests] pg_prove comparison skipped: ${skipReason}`);

type Counts = [tests: number, passed: number, failed: number, planned: number | null, ok: boolean];

/** One file through pg_prove, counted from its verbose TAP (independently of Keel's TAP parser) and its exit status. */
function proveFile(url: string, file: string, cwd: string): Counts & { output?: string } {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PG')));
  const r = spawnSync(pgProve!, ['--verbose', '--ext', '.sql', '--ext', '.pg', '--dbname', url, file], {
    cwd,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
  const lines = r.stdout.split('\n');
  const passed = lines.filter((l) => /^ok \d+/.test(l)).length;
  const failed = lines.filter((l) => /^not ok \d+/.test(l)).length;
  const plan = lines.map((l) => /^1\.\.(\d+)/.exec(l)).find(Boolean);
  return [passed + failed, passed, failed, plan ? Number(plan[1]) : null, r.status === 0];
}

const countsOf = (r: TestDbResult): Record<string, Counts> =>
  Object.fromEntries(r.files.map((f) => [f.file, [f.tests, f.passed, f.failed, f.planned, f.ok]]));

describe.skipIf(skipReason !== undefined)('keel test db and pg_prove give the same counts', () => {
  let project: TempProject;
  let db: TestDatabase;
  let keelOnServer: Record<string, Counts>;
  const proved: Record<string, Counts> = {};

  beforeAll(async () => {
    if (!pgProve) {
      throw new Error(
        'pg_prove is required here but not installed: ' +
          (expectation === '1'
            ? 'KEEL_EXPECT_PG_PROVE=1 (.ci/run sets it when it installed pg_prove). '
            : 'CI is set, apt-get exists and KEEL_EXPECT_PG_PROVE is not 0. ') +
          'Install it with `apt-get install libtap-parser-sourcehandler-pgtap-perl`, or set KEEL_EXPECT_PG_PROVE=0 (and KEEL_NO_PG_PROVE_REASON) where it cannot be installed.',
      );
    }
    project = makeProject({
      'migrations/20240101000000_init.sql': MIGRATION,
      ...CLI_SUITE,
      'rebuild/noop.sql': `select plan(1);\nselect pass('built');\n`,
    });
    db = await createTestDatabase('pg_prove');
    keelOnServer = countsOf(await testDb({ cwd: project.root, dbUrl: db.url, yes: true, env: {} }));
    // Build the database again from scratch (reset, pgTAP, helpers) without running the suite, for pg_prove.
    await testDb({ cwd: project.root, dbUrl: db.url, yes: true, env: {}, paths: ['supabase/rebuild'] });
    for (const file of Object.keys(CLI_SUITE_COUNTS)) proved[file] = proveFile(db.url, path.join(project.root, file), project.root);
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
  });

  it('pg_prove runs the suite as the fixture says (the suite tests what it claims)', () => {
    expect(proved).toEqual(CLI_SUITE_COUNTS);
  });

  it("on the server, keel gives pg_prove's per-file tests, passed, failed, planned and verdict", () => {
    expect(keelOnServer).toEqual(proved);
  });

  it('on PGlite, keel gives the counts pg_prove gave on the server', async () => {
    const onPglite = await testDb({ cwd: project.root, memory: true, env: {}, paths: ['supabase/tests'] });
    expect(onPglite.engine).toBe('pglite');
    expect(countsOf(onPglite)).toEqual(proved);
  });
});
