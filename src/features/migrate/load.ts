import { listMigrations, listSeedFiles, listSqlFiles, type MigrationFile } from '../../core/project/files.js';
import type { Project } from '../../core/project/layout.js';
import type { NameProblem } from '../../core/project/migration-name.js';
import { ensureParser } from '../../core/sql/parser.js';
import { prepareFile, type PreparedFile } from './run-file.js';

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
export async function loadProjectSql(project: Project): Promise<ProjectSql> {
  await ensureParser();
  const { migrations, problems } = listMigrations(project);
  const prepared = migrations.map((m) => ({ ...prepareFile(m), migration: m }));
  const roles = listSqlFiles(project, project.rolesDir).map((f) => prepareFile(f, { allowEmpty: true }));
  const policies = listSqlFiles(project, project.policiesDir).map((f) => prepareFile(f, { allowEmpty: true }));
  const seeds = listSeedFiles(project).map((f) => prepareFile(f, { allowEmpty: true }));
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
