import fs from 'node:fs';
import path from 'node:path';
import type { Engine, Target } from './engine.js';
import type { TemplateFlavour } from './pglite/flavour.js';
import { databaseUrl } from './url.js';

export interface TargetOptions {
  /** `--db-url`; else `DATABASE_URL`; else the embedded database. */
  dbUrl?: string;
  /** `--memory`: a throwaway in-memory PGlite. */
  memory?: boolean;
  /** The project's embedded data dir (supabase/.keel/pglite). */
  dataDir: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Which database a command works on.
 *
 * @example
 * resolveTarget({ dataDir: 'supabase/.keel/pglite', env: process.env }) // { kind: 'pglite', dataDir: … }
 */
export function resolveTarget(opts: TargetOptions): Target {
  const url = databaseUrl(opts);
  if (url) return { kind: 'postgres', url };
  if (opts.memory) return { kind: 'pglite', memory: true };
  return { kind: 'pglite', dataDir: opts.dataDir };
}

/**
 * Opens an engine for a target. The server driver and PGlite are each imported only when used.
 *
 * @example
 * const engine = await openEngine({ kind: 'pglite', memory: true });
 */
export async function openEngine(
  target: Target,
  opts: { command?: string; extensions?: string[]; flavour?: TemplateFlavour; keepWarm?: boolean } = {},
): Promise<Engine> {
  if (target.kind === 'postgres') {
    const { openPostgres } = await import('./postgres/engine.js');
    return openPostgres(target.url);
  }
  if ('dataDir' in target) {
    // a warm engine host serving the data dir: its client, before PGlite's modules are even loaded here
    const { hostEngineFor } = await import('./pglite/host/connect.js');
    const hosted = await hostEngineFor(path.resolve(target.dataDir), { extensions: opts.extensions, keepWarm: opts.keepWarm });
    if (hosted) return hosted;
  }
  const { openPglite } = await import('./pglite/engine.js');
  const flavour = opts.flavour ?? 'bare';
  if ('dataDir' in target) await prepareDataDir(path.resolve(target.dataDir), opts.command ?? 'keel', flavour);
  return openPglite({
    dataDir: 'dataDir' in target ? target.dataDir : undefined,
    command: opts.command,
    extensions: opts.extensions,
    flavour,
  });
}

/**
 * Before a data dir opens: a reset killed mid-way is put right (the previous data dir back, the half-built one gone),
 * and a data dir that does not exist yet starts as a copy of the cached template dir (0.6 s faster than unpacking
 * the tarball). Both happen holding the data dir's lock; when neither is needed this costs one readdir.
 */
async function prepareDataDir(dataDir: string, command: string, flavour: TemplateFlavour): Promise<void> {
  const { hasLeftovers, recoverDataDir, freshDataDir, buildDirFor } = await import('./pglite/data-dir.js');
  const { isEmptyDir } = await import('./pglite/extensions.js');
  if (!hasLeftovers(dataDir) && !isEmptyDir(dataDir)) return;
  const { acquireDataDirLock } = await import('./pglite/lock.js');
  const release = acquireDataDirLock(dataDir, command);
  try {
    recoverDataDir(dataDir);
    if (!isEmptyDir(dataDir)) return;
    const build = buildDirFor(dataDir);
    await freshDataDir(build, flavour);
    if (!isEmptyDir(build)) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.renameSync(build, dataDir);
    }
    fs.rmSync(build, { recursive: true, force: true });
  } finally {
    release();
  }
}
