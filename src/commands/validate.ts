import fs from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { KeelError } from '../core/errors.js';
import { userSchemas } from '../features/migrate/reset.js';
import { validateOn, type ValidateResult } from '../features/validate/run.js';
import { CHECK_FAMILIES, type CheckFamily, type ValidateFinding, type ValidateProgress } from '../features/validate/shared.js';
import { loadProject, withEngine, type CommonOptions } from './context.js';

export interface ValidateOptions extends CommonOptions {
  /**
   * Schemas to validate, also the "exposed" schemas for RLS. Default: keel.toml's `schemas` when it sets them, else
   * every user schema of the database (RLS then on those config.toml's `[api] schemas` names, else on public).
   */
  schemas?: string[];
  /** Check families to run (default all): orphans, constraints, sequences, consistency, rls. */
  only?: string[];
  /** Called as each query finishes (progress output). */
  onProgress?: (event: ValidateProgress) => void;
}

export type { ValidateResult };
export {
  CHECK_FAMILIES as VALIDATE_CHECKS,
  type CheckFamily,
  type ValidateFinding,
  type ValidateProgress,
} from '../features/validate/shared.js';

/**
 * `keel db validate`: orphaned rows per foreign key (and implied references), NOT VALID / NOT ENFORCED check and
 * invalid-unique-index violations, sequences behind their column, updated_at < created_at, live rows referencing
 * soft-deleted ones, enum-like values outside their CHECK's set, and RLS compliance per table. Read-only.
 * `summary.ok` is false when any finding is at level error or warn (info alone is fine).
 *
 * @example
 * const r = await validate({ cwd: 'examples/scalemate' });
 * r.summary.ok; r.checks.filter((c) => c.level !== 'info');
 */
export async function validate(opts: ValidateOptions = {}): Promise<ValidateResult> {
  const only = parseOnly(opts.only);
  const project = loadProject(opts);
  const named = opts.schemas?.length ? opts.schemas : configSchemas(project.supabaseDir);
  const schemaSource: ValidateResult['schemaSource'] = opts.schemas?.length ? 'option' : named ? 'config' : 'database';
  return withEngine(project, { ...opts, command: 'keel db validate' }, async (engine) => {
    let schemas: string[];
    let rlsSchemas: string[];
    if (named) {
      const existing = await engine.query<{ name: string }>(
        'select nspname::text as name from pg_namespace where nspname = any($1::text[])',
        [named],
      );
      const missing = named.filter((s) => !existing.rows.some((r) => r.name === s));
      if (missing.length > 0) {
        throw new KeelError('KEEL_NO_SCHEMA', `schema ${missing.join(', ')} does not exist in ${engine.target}`, {
          hint:
            schemaSource === 'option'
              ? 'run `keel db migrate` (or `keel db reset`) first, or fix --schema'
              : 'run `keel db migrate` (or `keel db reset`) first, or fix `schemas` in supabase/keel.toml',
        });
      }
      schemas = named;
      rlsSchemas = named;
    } else {
      // Every user schema's data; RLS where the API exposes tables (config.toml's [api] schemas, else public).
      schemas = await userSchemas(engine);
      const exposed = project.supabase.api.schemas ?? ['public'];
      rlsSchemas = schemas.filter((s) => exposed.includes(s));
    }
    const r = await validateOn(engine, { schemas, rlsSchemas, only, onProgress: opts.onProgress });
    return applyIgnores({ ...r, schemaSource }, project.config.validate.ignore);
  });
}

/** keel.toml's `schemas`, only when the file sets it (the config's default is not a choice of the project's). */
function configSchemas(supabaseDir: string): string[] | undefined {
  const raw = readToml(path.join(supabaseDir, 'keel.toml'));
  const v = raw?.schemas;
  return Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;
}

/** A TOML file's top-level table, or undefined when absent; keel.toml's syntax errors are reported by loadConfig first. */
function readToml(file: string): Record<string, unknown> | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    return parseToml(fs.readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** `[[validate.ignore]]`: accepted findings move to `ignored` (with their reason) and no longer count. */
function applyIgnores(r: ValidateResult, ignores: { check: string; object?: string; reason: string }[]): ValidateResult {
  if (ignores.length === 0) return r;
  const checks: ValidateFinding[] = [];
  const ignored: (ValidateFinding & { reason: string })[] = [];
  for (const c of r.checks) {
    const i = ignores.find((x) => x.check === c.check && (x.object === undefined || x.object === c.object));
    if (i && c.count > 0) ignored.push({ ...c, reason: i.reason });
    else checks.push(c);
  }
  const count = (level: ValidateFinding['level']) => checks.filter((c) => c.level === level).length;
  const byCheck: ValidateResult['summary']['byCheck'] = {};
  for (const c of checks) byCheck[c.check] = (byCheck[c.check] ?? 0) + 1;
  const summary = { ...r.summary, errors: count('error'), warnings: count('warn'), infos: count('info'), byCheck };
  return { ...r, checks, ignored, summary: { ...summary, ok: summary.errors + summary.warnings === 0 } };
}

function parseOnly(only: string[] | undefined): CheckFamily[] | undefined {
  if (!only?.length) return undefined;
  const names = only
    .flatMap((o) => o.split(','))
    .map((o) => o.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(CHECK_FAMILIES as readonly string[]).includes(n));
  if (unknown.length) {
    throw new KeelError('KEEL_BAD_OPTION', `unknown check ${unknown.join(', ')} in --only`, {
      hint: `choose among ${CHECK_FAMILIES.join(', ')}`,
    });
  }
  return names as CheckFamily[];
}
