import { listMigrations, listSeedFiles, listSqlFiles, type MigrationFile, type SqlFile } from '../../core/project/files.js';
import type { Project } from '../../core/project/layout.js';
import type { NameProblem } from '../../core/project/migration-name.js';
import { ensureParser } from '../../core/sql/parser.js';
import { prepareFile, type PreparedFile } from './run-file.js';
import { diskSplitCache, type SplitCache } from '../../core/sql/split-cache.js';

export interface PreparedMigration extends PreparedFile {
  migration: MigrationFile;
}

/** Every SQL file of a project, read, split and checked up front: nothing runs if any file is broken. */
export interface ProjectSql {
  migrations: PreparedMigration[];
  roles: PreparedFile[];
  policies: PreparedFile[];
  seeds: PreparedFile[];
  /** Naming warnings and file warnings, for the caller to show. */
  warnings: string[];
  /** Seed patterns that matched no file (for the commands that seed to show), each at its config line. */
  seedWarnings?: string[];
  /** Why no seed file was read: config.toml's `[db.seed] enabled = false` (at its line); absent when seeding is on. */
  seedsDisabled?: string;
  nameProblems: (NameProblem & { file: string })[];
}

/**
 * Reads the project's migrations, roles, policies and seed files and prepares each (see {@link prepareFile}).
 *
 * @example
 * const sql = await loadProjectSql(openProject('.'));
 */
export async function loadProjectSql(project: Project, opts: { cache?: SplitCache } = {}): Promise<ProjectSql> {
  const cache = opts.cache ?? diskSplitCache();
  const { migrations, problems, warnings: listed } = listMigrations(project);
  const seedWarnings: string[] = [];
  const others: [SqlFile[], SqlFile[], SqlFile[]] = [
    listSqlFiles(project, project.rolesDir),
    listSqlFiles(project, project.policiesDir),
    listSeedFiles(project, (w) => seedWarnings.push(w)),
  ];
  // The parser's WASM loads only when some file is not in the cache yet.
  if ([...migrations, ...others.flat()].some((f) => !cache.get(f.sha256))) await ensureParser();
  const prepared = migrations.map((m) => ({ ...prepareFile(m, { cache }), migration: m }));
  const [roles, policyFiles, seeds] = others.map((files) => files.map((f) => prepareFile(f, { allowEmpty: true, cache }))) as [
    PreparedFile[],
    PreparedFile[],
    PreparedFile[],
  ];
  const policies = definitionsFirst(policyFiles);
  const warnings = [...listed, ...[...prepared, ...roles, ...policies, ...seeds].flatMap((f) => f.warnings)];
  const off = project.supabase.seed.enabled ? undefined : project.supabase.seed.enabledAt;
  const seedsDisabled = project.config.seed.enabled
    ? undefined
    : `seeds skipped: [db.seed] enabled = false in ${off ? `${off.file}:${off.line}:${off.column}` : 'supabase/config.toml'} (as with the Supabase CLI, no seed file runs)`;
  return {
    migrations: prepared,
    roles,
    policies,
    seeds,
    warnings,
    seedWarnings,
    ...(seedsDisabled && { seedsDisabled }),
    nameProblems: problems,
  };
}

/**
 * Policy files in name order, except that files defining functions go first: seed 000 keeps its helpers in
 * `policies/shared_rls_functions.sql`, which sorts after `automation_rules_rls.sql` but must exist before any policy
 * calls `is_admin()`.
 */
export function definitionsFirst(files: PreparedFile[]): PreparedFile[] {
  const defines = (f: PreparedFile) => f.statements.some((s) => s.kind === 'CreateFunctionStmt');
  return [...files.filter(defines), ...files.filter((f) => !defines(f))];
}

/** Extensions the project's SQL creates (`create extension …`), read from the parse trees. */
export function extensionsUsed(sql: ProjectSql): string[] {
  const names = new Set<string>();
  for (const f of [...sql.migrations, ...sql.roles, ...sql.policies, ...sql.seeds]) {
    for (const s of f.statements) {
      if (s.kind === 'CreateExtensionStmt' && typeof s.ast.extname === 'string') names.add(s.ast.extname);
    }
  }
  return [...names].sort();
}
