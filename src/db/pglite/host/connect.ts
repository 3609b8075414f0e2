/**
 * The client side's first step, taken before anything heavy is imported: is an engine host serving this data dir?
 * Then the command's engine is a {@link HostEngine} over its socket; else the caller opens PGlite in-process.
 */
import fs from 'node:fs';
import { KeelError } from '../../../core/errors.js';
import { HostConnection } from './connection.js';
import { HostEngine } from './client-engine.js';
import { alive, HOST_PROTOCOL, readHostState, stateFile, type HostState } from './state.js';

/** A connection to the live host of `dataDir`, or undefined (no state file, its process dead, or its socket refusing). */
export async function connectHost(dataDir: string): Promise<{ conn: HostConnection; state: HostState } | undefined> {
  const state = readHostState(dataDir);
  if (!state) return undefined;
  if (!alive(state.pid)) {
    fs.rmSync(stateFile(dataDir), { force: true }); // stale: its host died without cleaning up
    return undefined;
  }
  if (state.protocol !== HOST_PROTOCOL) {
    throw new KeelError(
      'KEEL_ENGINE_HOST_VERSION',
      `the engine host serving ${dataDir} (process ${state.pid}) is Keel ${state.version}, which this Keel (protocol ${HOST_PROTOCOL}) cannot talk to`,
      { hint: 'stop it with `keel db stop` (or kill that process); the next command starts one of this version' },
    );
  }
  try {
    return { conn: await HostConnection.connect(state.socket), state };
  } catch {
    return undefined;
  }
}

/** Whether commands start a host when none runs: KEEL_ENGINE_HOST=auto (or `keepWarm`, from keel.toml). */
export function autoStart(env: NodeJS.ProcessEnv = process.env, keepWarm = false): boolean {
  const v = env.KEEL_ENGINE_HOST;
  if (v === 'off' || v === '0') return false;
  return v === 'auto' || keepWarm;
}

/**
 * Dirs whose engine is a connection that already holds its host's session: a reset's build, which the host runs while
 * the resetting process holds the session (see reset-data-dir.ts). Opening such a dir in this process uses that
 * connection (its close leaves the session held).
 */
const lent = new Map<string, HostConnection>();

export function lendSession(dir: string, conn: HostConnection): () => void {
  lent.set(dir, conn);
  return () => lent.delete(dir);
}

/** A reset's build dir (`<dir>.reset-<pid>-<hex>`): never given a host of its own. */
const isBuildDir = (dir: string) => /\.reset-\d+-[0-9a-f]+$/.test(dir);

/**
 * The engine for `dataDir` through its engine host, making sure the host has `extensions` registered; undefined when no
 * host serves it (and none is to be started: see {@link autoStart}).
 */
export async function hostEngineFor(
  dataDir: string,
  opts: { extensions?: string[]; env?: NodeJS.ProcessEnv; keepWarm?: boolean } = {},
): Promise<HostEngine | undefined> {
  const env = opts.env ?? process.env;
  const held = lent.get(dataDir);
  if (held) {
    const registered = await held.call<string[]>({ op: 'extensions', names: opts.extensions ?? [] });
    return new HostEngine(held, `pglite:${dataDir}`, registered, true);
  }
  if (env.KEEL_ENGINE_HOST === 'off') return undefined;
  let found = await connectHost(dataDir);
  if (!found && !isBuildDir(dataDir) && autoStart(env, opts.keepWarm)) {
    const { startEngineHost } = await import('./control.js');
    await startEngineHost(dataDir);
    found = await connectHost(dataDir);
  }
  if (!found) return undefined;
  try {
    const registered = await found.conn.call<string[]>({ op: 'extensions', names: opts.extensions ?? [] });
    return new HostEngine(found.conn, `pglite:${dataDir}`, registered);
  } catch (err) {
    found.conn.close();
    throw err;
  }
}
