/**
 * The result of a `keel test db` run: per file (tests, passed, failed, plan, error, each failure with its location)
 * and in total. Plain data: `--json` prints it as is.
 */
import type { SourceLocation } from '../../core/errors.js';
import type { PreparedSuite, SkippedStatement, SuiteError, SuiteRun } from './run-file.js';
import { parseTap, tapVerdict, type TapTest } from './tap.js';

/** One failing assertion. */
export interface TestDbFailure {
  number: number;
  description: string;
  /** pgTAP's diagnostic lines after the test line (`Failed test 2: "…"`, `    have: …`, `    want: …`), without `# `. */
  diagnostics: string[];
  have?: string;
  want?: string;
  /** The statement that made the assertion. */
  location: SourceLocation;
}

export interface TestDbFile {
  /** Relative to the project root. */
  file: string;
  ok: boolean;
  /** Test lines seen. */
  tests: number;
  passed: number;
  failed: number;
  skipped: number;
  todo: number;
  /** The plan's count; null when the file printed no plan. */
  planned: number | null;
  /** Why the file fails besides failing tests: bad or missing plan, bail-out, numbers out of sequence. */
  problems: string[];
  /** The statement error that stopped the file (what it left open was rolled back; later files still ran). */
  error?: SuiteError;
  failures: TestDbFailure[];
  /** Statements not sent, by design (transaction wrappers, `create extension pgtap`…). */
  skippedStatements: SkippedStatement[];
  /** `#` lines not attached to a failure (pgTAP `diag()` output). */
  comments: string[];
  /** True when the engine failed on this file (e.g. the PGlite watchdog stopped it): the files after it did not run. */
  stopped?: boolean;
  /** True when the file never ran because the engine failed on an earlier one. */
  notRun?: boolean;
  durationMs: number;
}

export interface TestDbTotals {
  files: number;
  filesPassed: number;
  filesFailed: number;
  tests: number;
  passed: number;
  /**
   * Failing tests, plus one for each failed file that has no failing test (an error, a bad plan, a bail-out), so a
   * failing run never ends in `… 0 failed`.
   */
  failed: number;
  /** Failing assertions only. */
  failedTests: number;
  /** Files stopped by an error (including those not run). */
  errors: number;
}

function failureOf(suite: PreparedSuite, t: TapTest): TestDbFailure {
  const stmt = suite.statements[t.statement];
  return {
    number: t.number,
    description: t.description,
    diagnostics: t.diagnostics,
    ...(t.have !== undefined && { have: t.have }),
    ...(t.want !== undefined && { want: t.want }),
    location: { file: suite.file, line: stmt?.line ?? 1, column: stmt?.column ?? 1 },
  };
}

/**
 * One file's result from its run: the TAP parsed and judged (see tapVerdict), the error if one stopped it.
 *
 * @example
 * fileReport(suite, await runSuite(engine, suite)).ok
 */
export function fileReport(suite: PreparedSuite, run: SuiteRun | undefined): TestDbFile {
  const parse = parseTap(run?.lines ?? []);
  const verdict = tapVerdict(parse);
  const failures = parse.tests.filter((t) => !t.ok && t.directive?.kind !== 'todo').map((t) => failureOf(suite, t));
  // An error already explains a short plan: say only the error.
  const problems = !run
    ? []
    : run.error
      ? verdict.problems.filter((p) => !p.startsWith('bad plan') && !p.startsWith('no plan'))
      : verdict.problems;
  const error = run ? run.error : { message: 'not run: the database stopped on an earlier file' };
  return {
    file: suite.file,
    ok: !error && problems.length === 0 && verdict.failed === 0,
    tests: parse.tests.length,
    passed: verdict.passed,
    failed: verdict.failed,
    skipped: verdict.skipped,
    todo: verdict.todo,
    planned: parse.plan ? parse.plan.count : null,
    problems,
    ...(error && { error }),
    failures,
    skippedStatements: suite.skipped,
    comments: parse.comments,
    ...(run?.fatal && { stopped: true }),
    ...(!run && { notRun: true }),
    durationMs: run?.durationMs ?? 0,
  };
}

/** Totals over the files; `passed`/`failed` are the numbers of the closing `N passed, N failed` line. */
export function totalsOf(files: TestDbFile[]): TestDbTotals {
  const sum = (f: (x: TestDbFile) => number) => files.reduce((n, x) => n + f(x), 0);
  const failedTests = sum((f) => f.failed);
  const brokenWithoutFailure = files.filter((f) => !f.ok && f.failed === 0).length;
  return {
    files: files.length,
    filesPassed: files.filter((f) => f.ok).length,
    filesFailed: files.filter((f) => !f.ok).length,
    tests: sum((f) => f.tests),
    passed: sum((f) => f.passed),
    failed: failedTests + brokenWithoutFailure,
    failedTests,
    errors: files.filter((f) => f.error).length,
  };
}

/** The closing line of a run, read by CI tools: exactly `N passed, N failed`. */
export function closingLine(totals: TestDbTotals): string {
  return `${totals.passed} passed, ${totals.failed} failed`;
}
