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
  const { migrations, problems } = listMigrations(project);
  const others: [SqlFile[], SqlFile[], SqlFile[]] = [listSqlFiles(project, project.rolesDir), listSqlFiles(project, project.policiesDir), listSeedFiles(project)];
  // The parser's WASM loads only when some file is not in the cache yet.
  if ([...migrations, ...others.flat()].some((f) => !cache.get(f.sha256))) await ensureParser();
  const prepared = migrations.map((m) => ({ ...prepareFile(m, { cache }), migration: m }));
  const [roles, policies, seeds] = others.map((files) => files.map((f) => prepareFile(f, { allowEmpty: true, cache }))) as [PreparedFile[], PreparedFile[], PreparedFile[]];
  const warnings = [
    ...problems.filter((p) => p.level === 'warning').map((p) => `${p.message} [${p.rule}]`),
    ...[...prepared, ...roles, ...policies, ...seeds].flatMap((f) => f.warnings),
  ];
  return { migrations: prepared, roles, policies, seeds, warnings, nameProblems: problems };
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
