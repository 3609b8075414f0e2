import type { Engine, Queryable, Target } from '../db/engine.js';
import { openEngine, resolveTarget } from '../db/open.js';
import { installShim, type ShimStatus } from '../db/shim/supabase-shim.js';
import { installSecretHelpers } from '../db/shim/secrets.js';
import { withSecretKey } from '../features/rls/secret-key.js';
import { openProject, type Project } from '../core/project/layout.js';
import { DB_ENGINES, type DbEngineChoice } from '../core/project/config.js';
import { KeelError } from '../core/errors.js';
import { extensionsUsed, loadProjectFiles, loadProjectSql, type ProjectFiles, type ProjectSql } from '../features/migrate/load.js';
import type { RunSettings, FileOutcome } from '../features/migrate/apply.js';
import { KEEL_VERSION } from '../version.js';
import { configureExtensions } from '../db/extensions/settings.js';

/** Options every command takes. */
export interface CommonOptions {
  /** The folder holding `supabase/` (default: the current directory). */
  cwd?: string;
  /** Connection URL; else `DATABASE_URL`; else the embedded database. */
  dbUrl?: string;
  /** Use a throwaway in-memory embedded database. */
  memory?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Called as each file finishes (progress output). */
  onFile?: (event: FileOutcome) => void;
}

export function loadProject(opts: CommonOptions): Project {
  return openProject(opts.cwd ?? process.cwd());
}

/** What a command opens its engine with. */
export interface OpenOptions extends CommonOptions {
  /** Named in the embedded data dir's lock, so a second process can say who holds it. */
  command: string;
  /** Extensions the engine must be able to create (PGlite registers contrib modules at start-up). */
  extensions?: string[];
  /** The database, when the command has already decided it; else {@link commandTarget}. */
  target?: Target;
  /** Set the project's encryption key in every transaction (default true; backup and restore copy ciphertext as it is). */
  secrets?: boolean;
}

/**
 * Which database a command works on: `--db-url`, else `DATABASE_URL`, else `--memory`, else the project's engine —
 * the embedded data dir, or with `[db] engine = "local-server"` (or KEEL_DB_ENGINE) the project's own PostgreSQL
 * server, started here when it is not running. Every command resolves its target here, so the precedence is written once.
 */
export async function commandTarget(project: Project | null, opts: CommonOptions): Promise<Target> {
  const target = resolveTarget({
    dbUrl: opts.dbUrl,
    memory: opts.memory,
    dataDir: project?.dataDir ?? '' /* no project: the caller saw a URL */,
    env: opts.env,
  });
  if (!project || !('dataDir' in target) || engineChoice(project, opts.env ?? process.env) !== 'local-server') return target;
  const { ensureProjectServer } = await import('../db/postgres/project-server.js');
  const idleMs = Number((opts.env ?? process.env).KEEL_ENGINE_IDLE_MS) || undefined;
  return { kind: 'postgres', url: (await ensureProjectServer(project.serverDir, { idleMs })).url, keelServer: true };
}

/** `[db] engine`, or the environment's KEEL_DB_ENGINE over it. */
export function engineChoice(project: Project, env: NodeJS.ProcessEnv): DbEngineChoice {
  const fromEnv = env.KEEL_DB_ENGINE;
  if (fromEnv === undefined || fromEnv === '') return project.config.db.engine;
  if ((DB_ENGINES as readonly string[]).includes(fromEnv)) return fromEnv as DbEngineChoice;
  throw new KeelError('KEEL_BAD_OPTION', `KEEL_DB_ENGINE must be ${DB_ENGINES.map((e) => `"${e}"`).join(' or ')}, not "${fromEnv}"`, {
    hint: "unset it to use keel.toml's [db] engine",
  });
}

/**
 * The one way a command gets an engine: opens it while `load` runs (both take a while; neither needs the other), reopens
 * it when what was loaded needs an extension the open engine lacks, adds the project's secret key, runs `fn` and always
 * closes the engine (an unclosed PGlite keeps Node alive). A failure in `load` stops everything before the database is
 * touched.
 */
export async function withEngineLoading<L, T>(
  project: Project | null,
  opts: OpenOptions,
  load: () => Promise<L>,
  extensionsOf: (loaded: L) => string[],
  fn: (engine: Engine, loaded: L) => Promise<T>,
): Promise<T> {
  const target = opts.target ?? (await commandTarget(project, opts));
  const keepWarm = project?.config.db.keepWarm;
  const open = (extensions?: string[]) => openEngine(target, { command: opts.command, extensions, flavour: 'supabase', keepWarm });
  const opening = open(opts.extensions);
  opening.catch(() => undefined); // handled below; this keeps an early failure from counting as unhandled meanwhile
  let loaded: L;
  try {
    loaded = await load();
  } catch (err) {
    await opening.then((e) => e.close()).catch(() => undefined);
    throw err;
  }
  let engine = await opening;
  const extensions = [...(opts.extensions ?? []), ...extensionsOf(loaded)];
  if (engine.canCreateExtensions && !engine.canCreateExtensions(extensions)) {
    await engine.close();
    engine = await open(extensions);
  }
  if (project && opts.secrets !== false) engine = withSecrets(project, opts, engine);
  try {
    return await fn(engine, loaded);
  } finally {
    await engine.close();
  }
}

/** {@link withEngineLoading} with nothing to load. */
export function withEngine<T>(project: Project | null, opts: OpenOptions, fn: (engine: Engine) => Promise<T>): Promise<T> {
  return withEngineLoading(
    project,
    opts,
    async () => undefined,
    () => [],
    (engine) => fn(engine),
  );
}

/** {@link withEngineLoading} loading and parsing the project's SQL; the extension stand-ins it asks for are configured. */
export function withProjectSql<T>(project: Project, opts: OpenOptions, fn: (engine: Engine, sql: ProjectSql) => Promise<T>): Promise<T> {
  return withLoaded(project, opts, () => loadProjectSql(project), fn);
}

/**
 * {@link withProjectSql} for the commands that run only some files (migrate, seed): every file is read and checked, but
 * only new or edited files are parsed before `fn` (see loadProjectFiles); the rest are parsed when they are to run.
 */
export function withProjectFiles<T>(
  project: Project,
  opts: OpenOptions,
  fn: (engine: Engine, files: ProjectFiles) => Promise<T>,
): Promise<T> {
  return withLoaded(project, opts, () => loadProjectFiles(project), fn);
}

function withLoaded<L extends ProjectSql | ProjectFiles, T>(
  project: Project,
  opts: OpenOptions,
  load: () => Promise<L>,
  fn: (engine: Engine, loaded: L) => Promise<T>,
): Promise<T> {
  return withEngineLoading(project, opts, load, extensionsUsed, (engine, loaded) => {
    configureExtensions(engine, { standIns: project.config.db.standIns, notes: loaded.warnings });
    return fn(engine, loaded);
  });
}

/**
 * The encryption key for the secret helpers, from the environment variable the config names (default
 * KEEL_ENCRYPTION_KEY): set in every transaction, registered for scrubbing from all output, never written anywhere.
 */
function withSecrets(project: Project, opts: CommonOptions, engine: Engine): Engine {
  const key = (opts.env ?? process.env)[project.config.secrets.keyEnv];
  return key ? withSecretKey(engine, key) : engine;
}

export const SHIM_SEARCH_PATH = `set local search_path = "$user", public, extensions`;

/** Installs the Supabase shim where needed and returns the per-transaction preamble it calls for. */
export async function prepareDatabase(db: Queryable): Promise<{ shim: ShimStatus; preamble?: string }> {
  const shim = await installShim(db);
  await installSecretHelpers(db);
  return { shim, preamble: shim.mode === 'installed' ? SHIM_SEARCH_PATH : undefined };
}

export function runSettings(
  engine: Engine,
  db: Queryable,
  runTx: RunSettings['runTx'],
  opts: { preamble?: string; onFile?: CommonOptions['onFile'] },
): RunSettings {
  return { engine, db, runTx, toolVersion: KEEL_VERSION, preamble: opts.preamble, onFile: opts.onFile };
}
