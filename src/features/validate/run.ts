/**
 * Runs the validate check families inside one REPEATABLE READ, READ ONLY transaction, so every query sees the same
 * snapshot and nothing can be written by mistake.
 */
import type { Catalog } from '../../core/catalog/index.js';
import { ensureParser } from '../../core/sql/parser.js';
import { DbError, KeelError } from '../../core/errors.js';
import type { Engine, Queryable } from '../../db/engine.js';
import { readValidateCatalog } from './catalog.js';
import { checkConsistency } from './consistency.js';
import { checkConstraints } from './constraints.js';
import { checkOrphans } from './orphans.js';
import { checkRls } from './rls.js';
import { checkSequences } from './sequences.js';
import {
  CHECK_FAMILIES,
  type CheckContext,
  type CheckFamily,
  type CheckId,
  type ValidateFinding,
  type ValidateLevel,
  type ValidateProgress,
} from './shared.js';

export interface ValidateSummary {
  /** Tables (ordinary and partitioned) in the validated schemas: 0 makes a `nothing_checked` warning. */
  tables: number;
  /** Findings per level (a passing RLS table counts as info). */
  errors: number;
  warnings: number;
  infos: number;
  /** Objects each family examined: foreign keys, unenforced checks + invalid unique indexes, sequences, … */
  checked: Partial<Record<CheckFamily, number>>;
  /** Findings per check id. */
  byCheck: Partial<Record<CheckId, number>>;
  rlsTables: { pass: number; fail: number };
  /** Queries run against user data (catalog reads not counted). */
  queries: number;
  durationMs: number;
  /** No finding at level error or warn: what the exit code follows. */
  ok: boolean;
}

export interface ValidateResult {
  target: string;
  /** Schemas whose data was checked. */
  schemas: string[];
  /** Schemas whose tables the RLS check covers (the exposed ones). */
  rlsSchemas: string[];
  /** Where `schemas` came from: `--schema`, keel.toml's `schemas`, or every user schema of the database. */
  schemaSource?: 'option' | 'config' | 'database';
  families: CheckFamily[];
  checks: ValidateFinding[];
  /** Findings accepted by `[[validate.ignore]]` in keel.toml, with the reason given there; not counted in `summary`. */
  ignored?: (ValidateFinding & { reason: string })[];
  summary: ValidateSummary;
}

export interface ValidateRunOptions {
  schemas: string[];
  /** Schemas whose tables need RLS (default `schemas`); only those among `schemas` count. */
  rlsSchemas?: string[];
  /** Families to run (default all). */
  only?: CheckFamily[];
  onProgress?: (event: ValidateProgress) => void;
  /** A catalog already read (the benchmark reads it once); default: read inside the snapshot. */
  catalog?: Catalog;
}

const RUNNERS: Record<CheckFamily, (ctx: CheckContext) => Promise<{ findings: ValidateFinding[]; checked: number }>> = {
  orphans: checkOrphans,
  constraints: checkConstraints,
  sequences: checkSequences,
  consistency: checkConsistency,
  rls: checkRls,
};

/**
 * Validates the data of an open engine: orphans, constraint violations, sequences, consistency, RLS compliance.
 *
 * @example
 * const r = await validateOn(engine, { schemas: ['public'], only: ['orphans'] });
 * r.checks.filter((c) => c.check === 'orphaned_rows').map((c) => [c.object, c.count]);
 */
export async function validateOn(engine: Engine, opts: ValidateRunOptions): Promise<ValidateResult> {
  const started = performance.now();
  const families = CHECK_FAMILIES.filter((f) => !opts.only?.length || opts.only.includes(f));
  const rlsSchemas = (opts.rlsSchemas ?? opts.schemas).filter((s) => opts.schemas.includes(s));
  await ensureParser();
  const { checks, checked, queries, tables } = await engine.transaction(async (tx) => {
    await tx.query('set transaction isolation level repeatable read, read only');
    const catalog = opts.catalog ?? (await readValidateCatalog(tx, opts.schemas, families));
    const queries = { n: 0 };
    const checks: ValidateFinding[] = [];
    const tables = catalog.tables.filter((t) => opts.schemas.includes(t.schema)).length;
    if (tables === 0) checks.push(nothingChecked(opts.schemas));
    const checked: Partial<Record<CheckFamily, number>> = {};
    for (const family of families) {
      const ctx: CheckContext = {
        db: explained(tx, family),
        catalog,
        schemas: opts.schemas,
        rlsSchemas,
        queries,
        progress: (done, total, object) => opts.onProgress?.({ family, done, total, object }),
      };
      const t0 = performance.now();
      const r = await RUNNERS[family](ctx);
      opts.onProgress?.({
        family,
        done: r.checked,
        total: r.checked,
        finished: { findings: r.findings.length, ms: performance.now() - t0 },
      });
      checks.push(...r.findings);
      checked[family] = r.checked;
    }
    return { checks, checked, queries: queries.n, tables };
  });
  const byCheck: Partial<Record<CheckId, number>> = {};
  for (const c of checks) byCheck[c.check] = (byCheck[c.check] ?? 0) + 1;
  const count = (level: ValidateLevel) => checks.filter((c) => c.level === level).length;
  const rls = checks.filter((c) => c.check === 'rls_compliance');
  const errors = count('error');
  const warnings = count('warn');
  return {
    target: engine.target,
    schemas: opts.schemas,
    rlsSchemas,
    families,
    checks,
    summary: {
      tables,
      errors,
      warnings,
      infos: count('info'),
      checked,
      byCheck,
      rlsTables: { pass: rls.filter((c) => c.count === 0).length, fail: rls.filter((c) => c.count > 0).length },
      queries,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      ok: errors + warnings === 0,
    },
  };
}

/** No table in the validated schemas: an "ok" would say nothing, so it is a warning (and the exit code 1). */
function nothingChecked(schemas: string[]): ValidateFinding {
  return {
    check: 'nothing_checked',
    object: schemas.join(', ') || '(no schema)',
    level: 'warn',
    count: 0,
    samples: [],
    message: `no table in ${schemas.length ? `schema${schemas.length > 1 ? 's' : ''} ${schemas.join(', ')}` : 'any user schema'}: nothing was validated (migrate first, or name the schemas with --schema or keel.toml's schemas)`,
  };
}

/**
 * A failing check query (a table the role cannot read, a statement timeout) ends the snapshot: it becomes a KeelError
 * naming the family, with the query in `detail` and a hint for the usual cause.
 */
function explained(tx: Queryable, family: CheckFamily): Queryable {
  const wrap = (err: unknown, sql: string): unknown => {
    if (!(err instanceof DbError)) return err;
    const hint =
      err.code === '42501'
        ? 'validate reads every table in the validated schemas (and the tables their foreign keys reference): connect as their owner or a role that can SELECT them, or narrow --schema'
        : err.code === '57014'
          ? 'a check query ran past statement_timeout: raise it for this role, or run fewer checks with --only'
          : 'run the query in detail by hand to see why; --only skips whole families';
    return new KeelError('KEEL_VALIDATE_QUERY', `validate (${family}): ${err.message}`, {
      sqlState: err.code,
      detail: sql.length > 600 ? `${sql.slice(0, 600)}…` : sql,
      hint,
      cause: err,
    });
  };
  return {
    query: async (sql, params) => {
      try {
        return await tx.query(sql, params);
      } catch (err) {
        throw wrap(err, sql);
      }
    },
    exec: async (sql) => {
      try {
        await tx.exec(sql);
      } catch (err) {
        throw wrap(err, sql);
      }
    },
  };
}
