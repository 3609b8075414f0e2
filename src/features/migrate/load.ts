import { listMigrations, listSeedFiles, listSqlFiles, type MigrationFile, type SqlFile } from '../../core/project/files.js';
import type { Project } from '../../core/project/layout.js';
import { KeelError } from '../../core/errors.js';
import type { NameProblem } from '../../core/project/migration-name.js';
import { ensureParser } from '../../core/sql/parser.js';
import type { Statement } from '../../core/sql/split.js';
import { diskSplitCache, type SplitCache } from '../../core/sql/split-cache.js';
import { diskFactsCache, factsOf, type FactsCache, type FileFacts, type FileKind } from './file-facts.js';
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
  /** Seed patterns that matched no file (for the commands that seed to show), each at its config line. */
  seedWarnings?: string[];
  /** Why no seed file was read: config.toml's `[db.seed] enabled = false` (at its line); absent when seeding is on. */
  seedsDisabled?: string;
  nameProblems: (NameProblem & { file: string })[];
}

/** The project's SQL files as listed and read (text and sha256), before any is parsed. */
interface Listing {
  migrations: MigrationFile[];
  roles: SqlFile[];
  policies: SqlFile[];
  seeds: SqlFile[];
  warnings: string[];
  seedWarnings: string[];
  seedsDisabled?: string;
  nameProblems: (NameProblem & { file: string })[];
}

function listProject(project: Project): Listing {
  const { migrations, problems, warnings } = listMigrations(project);
  const seedWarnings: string[] = [];
  const roles = listSqlFiles(project, project.rolesDir);
  const policies = listSqlFiles(project, project.policiesDir);
  const seeds = listSeedFiles(project, (w) => seedWarnings.push(w));
  const off = project.supabase.seed.enabled ? undefined : project.supabase.seed.enabledAt;
  const seedsDisabled = project.config.seed.enabled
    ? undefined
    : `seeds skipped: [db.seed] enabled = false in ${off ? `${off.file}:${off.line}:${off.column}` : 'supabase/config.toml'} (as with the Supabase CLI, no seed file runs)`;
  return { migrations, roles, policies, seeds, warnings, seedWarnings, ...(seedsDisabled && { seedsDisabled }), nameProblems: problems };
}

/** A split cache holding one file's statements, already read. */
const holding = (statements: Statement[]): SplitCache => ({ get: () => statements, has: () => true, set: () => undefined });
/** `cache` for a file known to be missing from it: written to, not read again. */
const writeOnly = (cache: SplitCache): SplitCache => ({ get: () => undefined, has: () => false, set: (sha, s) => cache.set(sha, s) });

/**
 * Prepares files in order, reading each one's statements from the cache once; the parser's WASM loads only when some
 * file is not in the cache yet. The first file that fails stops the run.
 */
async function prepareAll(files: { file: SqlFile; kind: FileKind }[], cache: SplitCache): Promise<PreparedFile[]> {
  const cached = files.map((f) => cache.get(f.file.sha256));
  if (cached.some((c) => !c)) await ensureParser();
  return files.map((f, i) => {
    const statements = cached[i];
    return prepareFile(f.file, { allowEmpty: f.kind !== 'migration', cache: statements ? holding(statements) : writeOnly(cache) });
  });
}

/**
 * `keel status`: each migration file as a load would check it, every refusal collected (a load stops at the first):
 * the KeelError per refused file, in order. Files with facts were accepted before and are not parsed again.
 *
 * @example
 * const refused = await refusedMigrations(project, listMigrations(project, { lenient: true }).migrations);
 */
export async function refusedMigrations(
  project: Project,
  migrations: MigrationFile[],
  opts: { cache?: SplitCache; facts?: FactsCache } = {},
): Promise<{ file: MigrationFile; error: KeelError }[]> {
  const cache = opts.cache ?? diskSplitCache();
  const facts = opts.facts ?? diskFactsCache(project.root);
  const unknown = migrations.filter((m) => !facts.get('migration', m));
  const cached = unknown.map((m) => cache.get(m.sha256));
  if (cached.some((c) => !c)) await ensureParser();
  const refused: { file: MigrationFile; error: KeelError }[] = [];
  unknown.forEach((m, i) => {
    try {
      const statements = cached[i];
      facts.set('migration', m, factsOf(prepareFile(m, { cache: statements ? holding(statements) : writeOnly(cache) })));
    } catch (err) {
      if (!(err instanceof KeelError)) throw err;
      refused.push({ file: m, error: err });
    }
  });
  facts.save();
  return refused;
}

const kinds = (l: Listing) =>
  [
    ...l.migrations.map((file) => ({ file, kind: 'migration' as const })),
    ...l.roles.map((file) => ({ file, kind: 'role' as const })),
    ...l.policies.map((file) => ({ file, kind: 'policy' as const })),
    ...l.seeds.map((file) => ({ file, kind: 'seed' as const })),
  ] satisfies { file: SqlFile; kind: FileKind }[];

/**
 * Reads the project's migrations, roles, policies and seed files and prepares each (see {@link prepareFile}): for the
 * commands that run or read all of them (reset, lint). Each file's facts are kept for {@link loadProjectFiles}.
 *
 * @example
 * const sql = await loadProjectSql(openProject('.'));
 */
export async function loadProjectSql(project: Project, opts: { cache?: SplitCache; facts?: FactsCache } = {}): Promise<ProjectSql> {
  const listing = listProject(project);
  const all = kinds(listing);
  const preparedAll = await prepareAll(all, opts.cache ?? diskSplitCache());
  const facts = opts.facts ?? diskFactsCache(project.root);
  all.forEach((f, i) => facts.set(f.kind, f.file, factsOf(preparedAll[i]!)));
  facts.save();
  const at = (kind: FileKind) => preparedAll.filter((_, i) => all[i]!.kind === kind);
  const migrations = at('migration').map((p, i) => ({ ...p, migration: listing.migrations[i]! }));
  const [roles, policies, seeds] = [at('role'), definitionsFirst(at('policy'), (f) => f.statements.some(definesFunction)), at('seed')];
  return {
    migrations,
    roles,
    policies,
    seeds,
    warnings: [...listing.warnings, ...[...migrations, ...roles, ...policies, ...seeds].flatMap((f) => f.warnings)],
    seedWarnings: listing.seedWarnings,
    ...(listing.seedsDisabled && { seedsDisabled: listing.seedsDisabled }),
    nameProblems: listing.nameProblems,
  };
}

/** A file read and known to be accepted, with what is known of it; parsed and planned only when it is to run. */
export interface LoadedFile {
  file: SqlFile;
  facts: FileFacts;
  /** The file prepared (see {@link prepareFile}); memoised, and it cannot fail: the file was accepted when loaded. */
  prepare: () => Promise<PreparedFile>;
}

export interface LoadedMigration extends LoadedFile {
  migration: MigrationFile;
}

/** The project's SQL files for the commands that run only some of them (migrate, seed): see {@link loadProjectFiles}. */
export interface ProjectFiles extends Omit<ProjectSql, 'migrations' | 'roles' | 'policies' | 'seeds'> {
  migrations: LoadedMigration[];
  roles: LoadedFile[];
  policies: LoadedFile[];
  seeds: LoadedFile[];
}

/**
 * Reads every SQL file of the project (text and sha256) and checks each as {@link loadProjectSql} does, but parses
 * only the files it has no facts for (new or edited since a load last saw them): the facts of an accepted file say
 * all a command needs of a file that does not run (an applied migration: its sha256; an unchanged policy file: its
 * targets). A syntax error in any file still stops the load, before any database is touched. A file's statements
 * and plan come from {@link LoadedFile.prepare} when it is about to run.
 *
 * @example
 * const files = await loadProjectFiles(openProject('.'));
 * const first = await files.migrations[0]?.prepare();
 */
export async function loadProjectFiles(project: Project, opts: { cache?: SplitCache; facts?: FactsCache } = {}): Promise<ProjectFiles> {
  const cache = opts.cache ?? diskSplitCache();
  const facts = opts.facts ?? diskFactsCache(project.root);
  const listing = listProject(project);
  const all = kinds(listing);
  const known = all.map((f) => facts.get(f.kind, f.file));
  const unknown = all.filter((_, i) => !known[i]);
  const prepared = new Map(unknown.map((f, i) => [f, i]));
  const fresh = await prepareAll(unknown, cache);
  const loaded = all.map((f, i): LoadedFile & { kind: FileKind } => {
    const now = prepared.has(f) ? fresh[prepared.get(f)!]! : undefined;
    const fileFacts = known[i] ?? factsOf(now!);
    if (now) facts.set(f.kind, f.file, fileFacts);
    let preparing: Promise<PreparedFile> | undefined = now && Promise.resolve(now);
    const prepare = () => (preparing ??= prepareAll([f], cache).then(([p]) => p!));
    return { kind: f.kind, file: f.file, facts: fileFacts, prepare };
  });
  facts.save();
  const at = (kind: FileKind) => loaded.filter((f) => f.kind === kind).map(({ file, facts, prepare }) => ({ file, facts, prepare }));
  const migrations = at('migration').map((f, i) => ({ ...f, migration: listing.migrations[i]! }));
  const [roles, policies, seeds] = [at('role'), definitionsFirst(at('policy'), (f) => f.facts.definesFunction), at('seed')];
  return {
    migrations,
    roles,
    policies,
    seeds,
    warnings: [...listing.warnings, ...[...migrations, ...roles, ...policies, ...seeds].flatMap((f) => f.facts.warnings)],
    seedWarnings: listing.seedWarnings,
    ...(listing.seedsDisabled && { seedsDisabled: listing.seedsDisabled }),
    nameProblems: listing.nameProblems,
  };
}

/**
 * Policy files in name order, except that files defining functions go first: seed 000 keeps its helpers in
 * `policies/shared_rls_functions.sql`, which sorts after `automation_rules_rls.sql` but must exist before any policy
 * calls `is_admin()`.
 */
export function definitionsFirst<F>(files: F[], defines: (f: F) => boolean): F[] {
  return [...files.filter(defines), ...files.filter((f) => !defines(f))];
}

const definesFunction = (s: Statement) => s.kind === 'CreateFunctionStmt';

/** Extensions the project's SQL creates (`create extension …`), read from the parse trees or the files' facts. */
export function extensionsUsed(sql: ProjectSql | ProjectFiles): string[] {
  const names = new Set<string>();
  for (const f of [...sql.migrations, ...sql.roles, ...sql.policies, ...sql.seeds]) {
    const facts = 'facts' in f ? f.facts : factsOf(f);
    for (const e of facts.extensions) names.add(e);
  }
  return [...names].sort();
}
