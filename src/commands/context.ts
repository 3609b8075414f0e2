import type { Engine, Queryable, Target } from '../db/engine.js';
import { openEngine, resolveTarget } from '../db/open.js';
import { installShim, type ShimStatus } from '../db/shim/supabase-shim.js';
import { installSecretHelpers } from '../db/shim/secrets.js';
import { withSecretKey } from '../features/rls/secret-key.js';
import { openProject, type Project } from '../core/project/layout.js';
import { extensionsUsed, loadProjectSql, type ProjectSql } from '../features/migrate/load.js';
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

/** Opens the command's engine, runs `fn`, and always closes it (an unclosed PGlite keeps Node alive). */
export async function withEngine<T>(
  project: Project,
  opts: CommonOptions & { command: string; extensions?: string[] },
  fn: (engine: Engine) => Promise<T>,
): Promise<T> {
  const target = resolveTarget({ dbUrl: opts.dbUrl, memory: opts.memory, dataDir: project.dataDir, env: opts.env });
  const engine = withSecrets(
    project,
    opts,
    await openEngine(target, { command: opts.command, extensions: opts.extensions, flavour: 'supabase' }),
  );
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

/**
 * Reads and parses the project's SQL while the engine opens (both take a while; neither needs the other), then runs
 * `fn`. PGlite opens with the extensions its data dir used before; if the project's SQL creates one it lacks, it is
 * reopened with it. A broken file still stops everything before the database is touched.
 */
export async function withProjectSql<T>(
  project: Project,
  opts: CommonOptions & { command: string; target?: Target; extensions?: string[] },
  fn: (engine: Engine, sql: ProjectSql) => Promise<T>,
): Promise<T> {
  const target = opts.target ?? resolveTarget({ dbUrl: opts.dbUrl, memory: opts.memory, dataDir: project.dataDir, env: opts.env });
  const opening = openEngine(target, { command: opts.command, extensions: opts.extensions, flavour: 'supabase' });
  opening.catch(() => undefined); // handled below; this keeps an early failure from counting as unhandled meanwhile
  let sql: ProjectSql;
  try {
    sql = await loadProjectSql(project);
  } catch (err) {
    await opening.then((e) => e.close()).catch(() => undefined);
    throw err;
  }
  let engine = await opening;
  const extensions = extensionsUsed(sql);
  if (engine.canCreateExtensions && !engine.canCreateExtensions(extensions)) {
    await engine.close();
    engine = await openEngine(target, { command: opts.command, extensions, flavour: 'supabase' });
  }
  engine = withSecrets(project, opts, engine);
  configureExtensions(engine, { standIns: project.config.db.standIns, notes: sql.warnings });
  try {
    return await fn(engine, sql);
  } finally {
    await engine.close();
  }
}

/**
 * The encryption key for the secret helpers, from the environment variable the config names (default
 * KEEL_ENCRYPTION_KEY): set in every transaction, registered for scrubbing from all output, never written anywhere.
 */
export function withSecrets(project: Project, opts: CommonOptions, engine: Engine): Engine {
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
