import type { Engine, Target } from './engine.js';

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
  const url = opts.dbUrl ?? (opts.env ?? process.env).DATABASE_URL;
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
export async function openEngine(target: Target, opts: { command?: string; extensions?: string[] } = {}): Promise<Engine> {
  if (target.kind === 'postgres') {
    const { openPostgres } = await import('./postgres/engine.js');
    return openPostgres(target.url);
  }
  const { openPglite } = await import('./pglite/engine.js');
  return openPglite({ dataDir: 'dataDir' in target ? target.dataDir : undefined, command: opts.command, extensions: opts.extensions });
}
