import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError, openEngine, testDb, type TestDbResult } from '../../src/index.js';
import type { Queryable } from '../../src/db/engine.js';
import { installPgtap, installPgtapScript } from '../../src/features/pgtap/install.js';
import { parseTap, tapVerdict } from '../../src/features/pgtap/tap.js';
import { runCli } from '../support/cli.js';
import { createTestDatabase, engineNames, pgAdminUrl } from '../support/postgres.js';
import { makeProject, targetFor, type TempProject, type TestTarget } from '../support/projects.js';
import { CLI_SUITE, CLI_SUITE_COUNTS, MIGRATION } from './test-db-fixture.js';

/** Files only Keel runs: a wrapped file with install lines Keel provides, and plan problems. */
const KEEL_ONLY: Record<string, string> = {
  'tests/nested/006_wrapped.pg': `begin;
create extension if not exists "basejump-supabase_test_helpers" version '0.0.6';
create extension if not exists pgtap with schema extensions;
select plan(1);
select tests.rls_enabled('public', 'todos');
select * from finish();
rollback;
`,
  'tests/rls.yaml': 'personas: {}\n',
  'other/bad_plan.sql': `select plan(3);
select ok(true, 'one');
select ok(true, 'two');
`,
  'other/no_plan.sql': `select no_plan();
select ok(true, 'unplanned, and finish() is never called');
`,
  'verify/isolated.sql': `select plan(2);
select is((select count(*)::int from public.notes), 0, 'nothing an earlier file did is left');
select is(to_regnamespace('test_support'), null::regnamespace, 'the helpers file''s schema was rolled back');
`,
};

const counts = (r: TestDbResult) => Object.fromEntries(r.files.map((f) => [f.file, [f.tests, f.passed, f.failed, f.planned, f.ok]]));

describe.each(engineNames)('keel test db on %s', (engineName) => {
  let target: TestTarget;
  let project: TempProject;
  let r: TestDbResult;
  const file = (name: string) => r.files.find((f) => f.file === `supabase/${name}`)!;

  beforeAll(async () => {
    target = await targetFor(engineName);
    project = makeProject({ 'migrations/20240101000000_init.sql': MIGRATION, ...CLI_SUITE, ...KEEL_ONLY });
    r = await testDb({ cwd: project.root, ...target.options, yes: true });
  });
  afterAll(async () => {
    await target?.drop();
  });

  it('finds supabase/tests/**/*.sql and *.pg in name order, not rls.yaml, and installs pgTAP in extensions', () => {
    expect(r.files.map((f) => f.file)).toEqual([...Object.keys(CLI_SUITE_COUNTS), 'supabase/tests/nested/006_wrapped.pg']);
    expect(r.pgtap.schema).toBe('extensions');
    expect(r.engine).toBe(engineName);
    expect(r.mode).toBe('session');
  });

  it('runs each file as pg_prove does: what a file commits outside a transaction is seen by later files', () => {
    const { 'supabase/tests/nested/006_wrapped.pg': _, ...cli } = counts(r);
    expect(cli).toEqual(CLI_SUITE_COUNTS);
    expect(file('tests/001_schema.sql').failures).toEqual([]);
    expect(file('tests/004_commits.sql').failures).toEqual([]);
  });

  it('gives every file a fresh session: prepared statements, role, settings, temp tables, listeners of earlier files are gone', () => {
    const f = file('tests/005_fresh_session.sql');
    expect(f.failures).toEqual([]);
    expect(f.error).toBeUndefined();
    expect(file('tests/002_planted_failure.sql').error).toBeUndefined(); // its PREPARE reuses 00000's name
  });

  it('reports a planted failing assertion with its description, have/want and file:line', () => {
    const f = file('tests/002_planted_failure.sql');
    expect(f.failures).toHaveLength(1);
    expect(f.failures[0]).toMatchObject({
      number: 2,
      description: 'planted: one plus one is three',
      have: '2',
      want: '3',
      location: { file: 'supabase/tests/002_planted_failure.sql', line: 6, column: 1 },
    });
    expect(f.failures[0]!.diagnostics[0]).toBe('Failed test 2: "planted: one plus one is three"');
  });

  it('stops a file at its first error (ON_ERROR_STOP) with SQLSTATE and file:line:col; its aborted transaction is rolled back', () => {
    const f = file('tests/003_errors_midway.sql');
    expect(f.error).toMatchObject({
      message: 'column "nosuch_column" does not exist',
      sqlState: '42703',
      location: { file: 'supabase/tests/003_errors_midway.sql', line: 5, column: 8 },
    });
    expect(f.problems).toEqual([]); // the error explains the short plan
    expect(file('tests/004_commits.sql').ok).toBe(true); // the next file got a working session
  });

  it("sends the file's own begin/rollback, and skips only the install lines Keel provides", () => {
    const f = file('tests/nested/006_wrapped.pg');
    expect(f.error).toBeUndefined();
    expect(f).toMatchObject({ ok: true, tests: 1, passed: 1, planned: 1 });
    expect(f.skippedStatements.map((s) => s.line)).toEqual([2, 3]);
  });

  it('totals tests, counts errored and bad-plan files as failed, and fails the run', () => {
    expect(r.totals).toEqual({ files: 8, filesPassed: 5, filesFailed: 3, tests: 23, passed: 22, failed: 3, failedTests: 1, errors: 1 });
    expect(r.ok).toBe(false);
  });

  it("rebuilds the database at the start of each run: the helpers file's non-idempotent DDL runs again", async () => {
    const again = await testDb({ cwd: project.root, ...target.options, yes: true });
    expect(counts(again)).toEqual(counts(r));
  });

  it('--isolate: each file in a transaction rolled back, its own begin/rollback dropped', async () => {
    const iso = await testDb({
      cwd: project.root,
      ...target.options,
      yes: true,
      isolate: true,
      paths: ['supabase/tests/00000-helpers.sql', 'supabase/tests/004_commits.sql', 'supabase/tests/nested', 'supabase/verify'],
    });
    expect(iso.mode).toBe('isolate');
    expect(iso.files.map((f) => [f.file, f.ok, f.error?.message ?? null])).toEqual([
      ['supabase/tests/00000-helpers.sql', true, null],
      ['supabase/tests/004_commits.sql', false, 'schema "test_support" does not exist'],
      ['supabase/tests/nested/006_wrapped.pg', true, null],
      ['supabase/verify/isolated.sql', true, null],
    ]);
    expect(iso.files[3]!.failures).toEqual([]);
    expect(iso.files[2]!.skippedStatements.map((s) => s.line)).toEqual([1, 2, 3, 7]);
  });

  it('detects a bad plan and a missing plan (given paths, on the database as it is)', async () => {
    const b = await testDb({ cwd: project.root, ...target.options, noReset: true, paths: ['supabase/other'] });
    expect(b.files.map((f) => [f.file, f.ok, f.tests, f.passed, f.planned, f.problems])).toEqual([
      ['supabase/other/bad_plan.sql', false, 2, 2, 3, ['bad plan: planned 3 test(s) but ran 2']],
      ['supabase/other/no_plan.sql', false, 1, 1, null, ['no plan: ran 1 test(s) without plan(n) or finish()']],
    ]);
    expect(b.totals).toMatchObject({ passed: 3, failed: 2, failedTests: 0 });
    expect(b.pgtap.created).toBe(false); // installed by the first run, kept
    expect(b.ok).toBe(false);
  });

  it('CLI: prints each failure and ends with the `N passed, N failed` line; exits 1 on failure, 0 when all pass', async () => {
    const db = target.url ? ['--db-url', target.url] : [];
    const bad = await runCli(['test', 'db', '--cwd', project.root, '--yes', ...db]);
    expect(bad.code).toBe(1);
    const lines = bad.stdout.trimEnd().split('\n');
    expect(lines[lines.length - 1]).toBe('22 passed, 3 failed');
    expect(bad.stdout).toContain('✗ supabase/tests/002_planted_failure.sql');
    expect(bad.stdout).toContain('not ok 2 - planted: one plus one is three (supabase/tests/002_planted_failure.sql:6)');
    expect(bad.stdout).toMatch(/have: 2\n\s+want: 3/);
    expect(bad.stdout).toContain('supabase/tests/003_errors_midway.sql:5:8: column "nosuch_column" does not exist');

    const iso = await runCli(['test', 'db', '--cwd', project.root, '--isolate', '--json', '--yes', ...db, 'supabase/verify']);
    expect(iso.code).toBe(0);
    expect(JSON.parse(iso.stdout)).toMatchObject({ ok: true, mode: 'isolate', totals: { files: 1, passed: 2, failed: 0 } });

    const good = await runCli([
      'test',
      'db',
      '--cwd',
      project.root,
      '--json',
      '--yes',
      ...db,
      'supabase/tests/00000-helpers.sql',
      'supabase/tests/001_schema.sql',
    ]);
    expect(good.code).toBe(0);
    const json = JSON.parse(good.stdout) as TestDbResult & { ok: boolean };
    expect(json).toMatchObject({ ok: true, mode: 'session' });
    expect(json.totals).toMatchObject({ files: 2, tests: 8, passed: 8, failed: 0 });
    expect(json.files[1]).toMatchObject({
      file: 'supabase/tests/001_schema.sql',
      tests: 7,
      passed: 7,
      failed: 0,
      planned: 7,
      failures: [],
    });
    expect(typeof json.durationMs).toBe('number');
  });
});

describe('keel test db without suites', () => {
  it('says there is nothing to run', async () => {
    const p = makeProject({ 'tests/rls.yaml': 'personas: {}\n' });
    const err = await testDb({ cwd: p.root, memory: true, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeelError);
    expect((err as KeelError).code).toBe('KEEL_NO_TESTS');
  });
});

describe('keel test db when PGlite hangs', () => {
  it('reports the statement the watchdog stopped, and the files after it as not run', async () => {
    const p = makeProject({
      'tests/a.sql': `select plan(1);\nselect ok(true, 'first');\n`,
      'tests/b.sql': `select plan(1);\nselect pg_sleep(60);\nselect ok(true, 'never');\n`,
      'tests/c.sql': `select plan(1);\nselect ok(true, 'not run');\n`,
    });
    const before = process.env.KEEL_PGLITE_TIMEOUT_MS;
    process.env.KEEL_PGLITE_TIMEOUT_MS = '6000'; // openPglite reads it; PGlite ignores statement_timeout
    try {
      const r = await testDb({ cwd: p.root, memory: true, env: {} });
      expect(r.files.map((f) => [f.file, f.ok, Boolean(f.stopped), Boolean(f.notRun)])).toEqual([
        ['supabase/tests/a.sql', true, false, false],
        ['supabase/tests/b.sql', false, true, false],
        ['supabase/tests/c.sql', false, false, true],
      ]);
      expect(r.files[1]!.error).toMatchObject({
        code: 'KEEL_PGLITE_TIMEOUT',
        location: { file: 'supabase/tests/b.sql', line: 2, column: 1 },
      });
      expect(r.files[2]!.problems).toEqual([]);
      expect(r.totals).toMatchObject({ passed: 1, failed: 2, errors: 2 });
    } finally {
      if (before === undefined) delete process.env.KEEL_PGLITE_TIMEOUT_MS;
      else process.env.KEEL_PGLITE_TIMEOUT_MS = before;
    }
  });
});

describe('pgTAP on a server without the pgtap extension', () => {
  it('says so clearly when the install script is not allowed', async () => {
    const noPgtap: Queryable = {
      query: async <T>(sql: string) => ({
        rows: (sql.includes('pg_available_extensions') ? [{ available: false, major: '16' }] : []) as T[],
        fields: [],
      }),
      exec: async () => undefined,
    };
    const err = await installPgtap(noPgtap, 'postgres', { script: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KeelError);
    expect((err as KeelError).code).toBe('KEEL_NO_PGTAP');
    expect((err as KeelError).message).toBe('the server has no pgTAP: install postgresql-16-pgtap');
    expect((err as KeelError).hint).toContain('apt-get install postgresql-16-pgtap');
  });

  it.runIf(pgAdminUrl())("falls back to pgTAP's install script from the npm package, which later runs find", async () => {
    const db = await createTestDatabase('pgtap_script');
    try {
      const engine = await openEngine({ kind: 'postgres', url: db.url });
      try {
        const made = await engine.transaction((tx) => installPgtapScript(tx, '15'));
        expect(made).toMatchObject({ schema: 'extensions', version: '1.3.5', created: true, source: 'script' });
        expect((await engine.query(`select 1 from pg_extension where extname = 'pgtap'`)).rows).toEqual([]);
      } finally {
        await engine.close();
      }
      const p = makeProject({
        'tests/a.sql': `select plan(2);\nselect ok(true, 'runs');\nselect has_function('extensions', 'pgtap_version', 'pgTAP is a script here');\n`,
      });
      const r = await testDb({ cwd: p.root, dbUrl: db.url, env: {}, noReset: true, prepare: async () => undefined });
      expect(r.pgtap).toMatchObject({ created: false, source: 'script', version: '1.3.5' });
      expect(r.files[0]).toMatchObject({ ok: true, tests: 2, passed: 2 });
    } finally {
      await db.drop();
    }
  });
});

describe('TAP parsing', () => {
  const lines = (...texts: string[]) => texts.map((text, statement) => ({ text, statement }));

  it('reads plans, directives, diagnostics with multi-line have/want, and bail-outs', () => {
    const p = parseTap(
      lines(
        '1..4',
        'ok 1 - plain',
        'not ok 2 - rows differ\n# Failed test 2: "rows differ"\n#         have: (1,a)\n#               (2,b)\n#         want: (1,a)',
        'ok 3 - not yet # SKIP no server',
        'not ok 4 - later \\# not a directive # TODO fix me',
        '# Looks like you failed 1 test of 4',
        'some row the suite selected',
      ),
    );
    expect(p.plan).toEqual({ count: 4, statement: 0 });
    expect(p.tests.map((t) => [t.number, t.ok, t.description, t.directive?.kind])).toEqual([
      [1, true, 'plain', undefined],
      [2, false, 'rows differ', undefined],
      [3, true, 'not yet', 'skip'],
      [4, false, 'later # not a directive', 'todo'],
    ]);
    expect(p.tests[1]).toMatchObject({ have: '(1,a)\n(2,b)', want: '(1,a)' });
    expect(p.comments).toEqual(['Looks like you failed 1 test of 4']);
    expect(tapVerdict(p)).toEqual({ passed: 3, failed: 1, skipped: 1, todo: 1, problems: [] });
    expect(tapVerdict(parseTap(lines('1..2', 'ok 1', 'Bail out! no database'))).problems).toEqual([
      'bailed out: no database',
      'bad plan: planned 2 test(s) but ran 1',
    ]);
    expect(tapVerdict(parseTap(lines('ok 1', 'ok 3', '1..2'))).problems).toEqual(['test numbers out of sequence: test 2 is numbered 3']);
    expect(tapVerdict(parseTap(lines('1..0 # Skipped: nothing to test'))).problems).toEqual([]);
  });
});
