import path from 'node:path';
import { crossTenantProbe, specCoverage, type Coverage, type ProbeFinding } from '../features/rls/coverage.js';
import { checkRlsSpec } from '../features/rls/check.js';
import { runRlsSpec, type Cell } from '../features/rls/run.js';
import { loadRlsSpec } from '../features/rls/spec.js';
import { rel } from '../core/project/layout.js';
import type { Queryable } from '../db/engine.js';
import type { ProjectSql } from '../features/migrate/load.js';
import { resetOn } from './reset.js';
import { loadProject, withEngine, withProjectSql, type CommonOptions } from './context.js';

export interface TestRlsOptions extends CommonOptions {
  /** The spec file (default supabase/tests/rls.yaml). */
  spec?: string;
  /** Use the database as it is instead of resetting it first. */
  noReset?: boolean;
  /** Confirms the reset of a non-local database. */
  yes?: boolean;
  /** Skip the cross-tenant probe. */
  noProbe?: boolean;
}

export interface TestRlsResult {
  target: string;
  engine: string;
  spec: string;
  personas: string[];
  cells: Cell[];
  failures: Cell[];
  probe: ProbeFinding[];
  coverage: Coverage;
  passed: number;
  failed: number;
  ok: boolean;
}

/**
 * `keel test rls`: builds the database (reset, unless `noReset`), then checks every persona × table × operation in the
 * spec, runs the cross-tenant probe and reports what the spec does not cover. `ok` is false when any cell fails or
 * the probe finds a leak.
 *
 * @example
 * const r = await testRls({ cwd: 'examples/scalemate' }); r.ok
 */
export async function testRls(opts: TestRlsOptions = {}): Promise<TestRlsResult> {
  const project = loadProject(opts);
  const specPath = opts.spec ? path.resolve(project.root, opts.spec) : path.join(project.supabaseDir, 'tests', 'rls.yaml');
  const spec = loadRlsSpec(specPath, rel(project, specPath));
  const run = opts.noReset ? withEngine : withProjectSql;
  return run(project, { ...opts, command: 'keel test rls' }, async (engine, sql?: ProjectSql) => {
    // tables, columns, roles and sample values, at their spec lines; checked before the reset commits, so a bad spec
    // leaves the database (and its migration history) as it was
    const check = (db: Queryable) => checkRlsSpec(db, spec, engine.target);
    if (sql) await resetOn(engine, sql, { ...opts, onFile: undefined, beforeCommit: check });
    else await check(engine);
    const cells = await runRlsSpec(engine, spec);
    const probe = opts.noProbe ? [] : await crossTenantProbe(engine, spec, project.config.schemas);
    const coverage = await specCoverage(engine, spec, project.config.schemas);
    const failures = cells.filter((c) => !c.ok);
    return {
      target: engine.target,
      engine: engine.kind,
      spec: spec.file,
      personas: [...spec.personas.keys()],
      cells,
      failures,
      probe,
      coverage,
      passed: cells.length - failures.length,
      failed: failures.length,
      ok: failures.length === 0 && probe.length === 0,
    };
  });
}
