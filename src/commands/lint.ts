import { databaseUrl } from '../db/url.js';
import fs from 'node:fs';
import path from 'node:path';
import { readCatalog, type Catalog } from '../core/catalog/index.js';
import { KeelError } from '../core/errors.js';
import { DEFAULT_CONFIG, KEEL_TOML, type LintConfig } from '../core/project/config.js';
import { locateTomlKeys, TomlProblems } from '../core/project/toml.js';
import { didYouMean } from '../core/suggest.js';
import { compareVersions } from '../core/project/migration-name.js';
import { ensureParser } from '../core/sql/parser.js';
import type { Engine } from '../db/engine.js';
import type { Level, RuleInfo } from '../features/lint/finding.js';
import { activeRules, FRAMEWORK_RULES, LEVEL_RANK, runLint, type LintReport } from '../features/lint/run.js';
import { ALL_RULES } from '../features/lint/rules.js';
import { compareHistory } from '../features/migrate/compare.js';
import { readHistory } from '../features/migrate/history.js';
import { PROTECTED_SCHEMAS } from '../features/migrate/reset.js';
import { engineChoice, loadProject, withProjectSql, type CommonOptions } from './context.js';
import { codeHash, diskBuildCache, projectBuildKey } from '../features/migrate/build-cache.js';
import { cacheDir } from '../core/cache-dir.js';
import { createHash } from 'node:crypto';
import { loadProjectSql, type PreparedMigration, type ProjectSql } from '../features/migrate/load.js';
import { pgliteVersion } from '../db/pglite/template.js';
import type { Project } from '../core/project/layout.js';
import { withScratchTarget } from './scratch.js';
import type { Target } from '../db/engine.js';
import { resetOn } from './reset.js';

export interface LintOptions extends CommonOptions {
  /** Lowest level that fails the run (default: config `[lint] fail_on`, else `error`). */
  failOn?: Level;
  /** False turns the seed-convention rules off for this run. */
  conventions?: boolean;
  /** Project mode: migrations up to and including this version count as already deployed. */
  since?: string;
  /** Only these rules. */
  rules?: string[];
  /** Lint the database as it is (the embedded one unless dbUrl / DATABASE_URL) instead of the project built in memory; implied by a URL. */
  database?: boolean;
  /** Project mode: false builds the project even when these files were built before (default true). */
  cache?: boolean;
}

export interface LintResult extends LintReport {
  target: string;
  engine: string;
  /**
   * `project`: the project's files were built into a throwaway in-memory database and that was linted (no database
   * is touched). `database`: the database (--db-url / DATABASE_URL, or the embedded one with `database`) was linted as
   * it is, with its pending migrations.
   */
  mode: 'project' | 'database';
  /** Project mode: the catalog came from an earlier build of the same files (see {@link LintOptions.cache}). */
  cached: boolean;
  /** Migration files the migration-safety rules read (not applied on the target). */
  pending: string[];
  notes: string[];
  failOn: Level;
  /** Some finding is at or above `failOn`. */
  failed: boolean;
  durationMs: number;
}

/**
 * `keel lint`: catalog rules (splinter's names), rules that read inside function bodies and policies, seed
 * conventions, and migration safety (squawk's names) on pending migrations, in one pass.
 *
 * Without a database URL it lints the project: the files are built into a throwaway in-memory PGlite and every
 * migration counts as pending (`since` marks some as deployed). With --db-url / DATABASE_URL (or `database` for the
 * embedded one) it lints that database as it is, and the migrations not in its history. A project whose migration,
 * role and policy files, config and engine are byte for byte those of an earlier lint reuses that build's catalog
 * (`cached: true`; `cache: false` builds anyway); the file rules always read the files.
 *
 * @example
 * const r = await lint({ cwd: 'examples/scalemate' });
 * r.findings.filter((f) => f.level === 'error'); // []
 */
export async function lint(opts: LintOptions = {}): Promise<LintResult> {
  const started = performance.now();
  const project = loadProject(opts);
  const config = { ...project.config.lint, ...(opts.conventions === false && { conventions: false }) };
  const failOn = opts.failOn ?? config.failOn;
  checkRuleNames(opts.rules);
  const configText = readConfigText(project.supabaseDir);
  checkConfigRuleNames(project.config.lint, configText);
  const env = opts.env ?? process.env;
  const url = databaseUrl({ dbUrl: opts.dbUrl, env });
  const mode = url || opts.database ? 'database' : 'project';
  if (mode === 'database' && opts.since !== undefined) {
    throw new KeelError(
      'KEEL_BAD_OPTION',
      '--since applies when linting the project (no --db-url); a database knows which migrations it has',
      {
        hint: 'drop --since; the migrations missing from the database history are the pending ones',
      },
    );
  }
  if (opts.since !== undefined && !/^\d+$/.test(opts.since)) {
    throw new KeelError('KEEL_BAD_OPTION', `--since must be a migration version (digits), not "${opts.since}"`, {
      hint: 'see `keel migration list`',
    });
  }
  const finish = async (
    catalog: Catalog,
    sql: ProjectSql,
    how: {
      engine: string;
      target: string;
      pending: PreparedMigration[];
      existingTables: Set<string>;
      notes: string[];
      cached?: boolean;
      /** The report of an earlier run on the same inputs; `keep` stores a new one. */
      report?: LintReport;
      keep?: (report: LintReport) => void;
    },
  ): Promise<LintResult> => {
    let report = how.report;
    if (!report) {
      await ensureParser(); // rules parse policy expressions, function bodies and view definitions (the files may all have come from the split cache)
      report = runLint({
        catalog: projectSchemasOnly(catalog),
        exposedSchemas: project.config.schemas,
        sql,
        pending: how.pending,
        existingTables: how.existingTables,
        config,
        configText,
        only: opts.rules,
      });
      how.keep?.(report);
    }
    const failed = report.findings.some((f) => LEVEL_RANK[f.level] >= LEVEL_RANK[failOn]);
    return {
      target: how.target,
      engine: how.engine,
      mode,
      cached: how.cached ?? false,
      pending: how.pending.map((m) => m.migration.file),
      notes: how.notes,
      ...report,
      failOn,
      failed,
      durationMs: Math.round(performance.now() - started),
    };
  };
  /** Project mode: every migration is pending unless `since` marks it deployed. */
  const projectPending = (sql: ProjectSql) => {
    const pending =
      opts.since === undefined ? sql.migrations : sql.migrations.filter((m) => compareVersions(m.migration.version, opts.since!) > 0);
    return { pending, existingTables: tablesCreatedBy(sql.migrations.filter((m) => !pending.includes(m))) };
  };
  const lintOn = (
    target: Target | undefined,
    cache?: { store: (engine: string, catalog: Catalog) => void; keep: (report: LintReport) => void },
  ): Promise<LintResult> =>
    withProjectSql(project, { ...opts, command: 'keel lint', target }, async (engine, sql) => {
      if (mode === 'project') {
        await resetOn(engine, sql, { noSeed: true, yes: true });
        const catalog = await readCatalog(engine);
        cache?.store(engine.kind, catalog);
        return finish(catalog, sql, {
          engine: engine.kind,
          target: describeTarget(engine, mode),
          notes: [],
          ...projectPending(sql),
          keep: cache?.keep,
        });
      }
      const notes: string[] = [];
      const catalog = await readCatalog(engine);
      const cmp = compareHistory(
        sql.migrations.map((m) => m.migration),
        await readHistory(engine),
      );
      const files = new Set(cmp.pending.map((f) => f.file));
      const pending = sql.migrations.filter((m) => files.has(m.migration.file));
      if (pending.length > 0) {
        notes.push(
          `${pending.length} migration${pending.length > 1 ? 's are' : ' is'} not applied on ${engine.target}: the migration-safety rules read ${pending.length > 1 ? 'them' : 'it'}, the catalog rules see the database as it is`,
        );
      }
      if (cmp.changed.length > 0) notes.push(`changed since applied: ${cmp.changed.map((c) => c.file ?? c.version).join(', ')}`);
      const existingTables = new Set(catalog.tables.map((t) => `${t.schema}.${t.name}`));
      return finish(catalog, sql, { engine: engine.kind, target: engine.target, pending, existingTables, notes });
    });
  if (mode === 'database') return lintOn(undefined);
  // The project mode builds the project in a throwaway database (a scratch one on the project's local server, else in
  // memory) — unless these very files were built before: then the catalog that build read is reused.
  if (opts.cache === false) return withScratchTarget(project, opts, (target) => lintOn(target));
  const cache = diskBuildCache();
  const sql = await loadProjectSql(project);
  const key = projectBuildKey(sql, buildContext(project, env, configText));
  const hit = cache.get(key);
  // the same rules on the same inputs give the same report: kept too, so an unchanged project needs no parser
  const reports = diskBuildCache<LintReport>(path.join(cacheDir(), 'lint-1'));
  const reportKey = createHash('sha256')
    .update(JSON.stringify([key, codeHash('features/lint', 'core/sql'), sql.seeds.map((f) => [f.file.file, f.file.sha256])]))
    .update(JSON.stringify([opts.since ?? null, opts.conventions ?? null, opts.rules ?? null]))
    .digest('hex');
  const keep = (report: LintReport) => reports.set(reportKey, report);
  if (hit) {
    return finish(hit.catalog, sql, {
      engine: hit.engine,
      target: `the project, as built at ${hit.builtAt} (files unchanged since; --no-cache builds it again)`,
      notes: [],
      cached: true,
      ...projectPending(sql),
      report: reports.get(reportKey),
      keep,
    });
  }
  return withScratchTarget(project, opts, (target) =>
    lintOn(target, { store: (engine, catalog) => cache.set(key, { engine, catalog, builtAt: new Date().toISOString() }), keep }),
  );
}

/** What else a build depends on besides the files: the engine (and its version) and the config files. */
function buildContext(project: Project, env: NodeJS.ProcessEnv, configText: string | undefined): string[] {
  let engine: string = engineChoice(project, env);
  if (engine === 'local-server') {
    try {
      engine += ` ${(JSON.parse(fs.readFileSync(`${project.serverDir}.json`, 'utf8')) as { version?: string }).version}`;
    } catch {
      engine += ' (not running)'; // a build on it is keyed by its version next time
    }
  } else {
    engine += ` ${pgliteVersion()}`;
  }
  const supabaseToml = path.join(project.supabaseDir, 'config.toml');
  return [engine, configText ?? '', fs.existsSync(supabaseToml) ? fs.readFileSync(supabaseToml, 'utf8') : ''];
}

/** Every rule with the level it runs at under the project's config (for `keel lint --list-rules`). */
export function listRules(opts: CommonOptions = {}): RuleInfo[] {
  let config = DEFAULT_CONFIG.lint;
  try {
    const project = loadProject(opts);
    config = project.config.lint;
    checkConfigRuleNames(config, readConfigText(project.supabaseDir));
  } catch (err) {
    if (!(err instanceof KeelError && err.code === 'KEEL_NO_PROJECT')) throw err; // outside a project: the defaults
  }
  return activeRules(config);
}

function checkRuleNames(rules: string[] | undefined): void {
  const ids = ALL_RULES.map((r) => r.id);
  const known = new Set(ids);
  const unknown = (rules ?? []).filter((r) => !known.has(r));
  if (unknown.length > 0) {
    throw new KeelError(
      'KEEL_BAD_OPTION',
      `unknown rule${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}${unknown.length === 1 ? didYouMean(unknown[0]!, ids) : ''}`,
      { hint: 'see `keel lint --list-rules`' },
    );
  }
}

function readConfigText(supabaseDir: string): string | undefined {
  const file = path.join(supabaseDir, 'keel.toml');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
}

/**
 * `[lint.rules]` and `[[lint.ignore]]` must name rules Keel has: a misspelt one would silently change nothing. Each is
 * a KEEL_CONFIG error at its keel.toml line, with the nearest rule ids.
 */
function checkConfigRuleNames(config: LintConfig, text: string | undefined): void {
  if (text === undefined) return;
  const ids = [...ALL_RULES, ...FRAMEWORK_RULES].map((r) => r.id);
  const known = new Set(ids);
  const problems = new TomlProblems({ file: KEEL_TOML, at: locateTomlKeys(text, KEEL_TOML) });
  for (const rule of Object.keys(config.rules)) {
    if (!known.has(rule)) problems.add(['lint', 'rules', rule], `[lint.rules] ${rule}: no such rule${didYouMean(rule, ids)}`);
  }
  config.ignore.forEach((e, i) => {
    if (!known.has(e.rule))
      problems.add(['lint', 'ignore', i, 'rule'], `[[lint.ignore]] rule = "${e.rule}": no such rule${didYouMean(e.rule, ids)}`, e.rule);
  });
  problems.throwIfAny('see `keel lint --list-rules` for every rule id');
}

function describeTarget(engine: Engine, mode: 'project' | 'database'): string {
  if (mode === 'database') return engine.target;
  return `the project, built in a throwaway ${engine.kind === 'pglite' ? 'in-memory database' : 'scratch database on the local server'}`;
}

/** Schemas Supabase, the shim or Keel manage (auth, extensions, storage, keel, …) are not the project's to fix. */
function projectSchemasOnly(c: Catalog): Catalog {
  const own = <T extends { schema: string }>(list: T[]) => list.filter((x) => !PROTECTED_SCHEMAS.includes(x.schema));
  return {
    ...c,
    schemas: c.schemas.filter((s) => !PROTECTED_SCHEMAS.includes(s.name)),
    enums: own(c.enums),
    domains: own(c.domains),
    composites: own(c.composites),
    tables: own(c.tables),
    views: own(c.views),
    materializedViews: own(c.materializedViews),
    sequences: own(c.sequences),
    functions: own(c.functions),
    triggers: own(c.triggers),
    policies: own(c.policies),
  };
}

/** `schema.table` of every CREATE TABLE in these files (unqualified names are public). */
function tablesCreatedBy(files: ProjectSql['migrations']): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    for (const s of f.statements) {
      const rel = s.kind === 'CreateStmt' ? (s.ast.relation as { schemaname?: string; relname?: string } | undefined) : undefined;
      if (rel?.relname) out.add(`${rel.schemaname ?? 'public'}.${rel.relname}`);
    }
  }
  return out;
}
