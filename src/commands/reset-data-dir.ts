import fs from 'node:fs';
import path from 'node:path';
import { acquireDataDirLock } from '../db/pglite/lock.js';
import { buildDirFor, discardBuild, freshDataDir, prepareSpare, recoverDataDir, swapDataDir } from '../db/pglite/data-dir.js';
import type { HostConnection } from '../db/pglite/host/connection.js';
import type { PingReply } from '../db/pglite/host/messages.js';
import type { Project } from '../core/project/layout.js';
import { extensionsUsed } from '../features/migrate/load.js';
import { withProjectSql } from './context.js';
import { buildOn, type ResetOptions, type ResetResult } from './reset.js';

function rememberedExtensions(dataDir: string): string[] {
  try {
    return JSON.parse(fs.readFileSync(`${dataDir}.extensions.json`, 'utf8')) as string[];
  } catch {
    return [];
  }
}

/**
 * `keel db reset` on the embedded data dir: holding the data dir's lock, builds the whole database in a fresh data dir
 * beside it (a copy of the cached template), and renames it into place only when every file succeeded. A failure or
 * a kill leaves the previous data dir as it was, byte for byte; the half-built one is removed (now, or by the next
 * command that opens the data dir).
 *
 * With an engine host serving the data dir (see db/pglite/host/), the same steps run holding the host's session: the
 * host lets go of the data dir (suspend), runs PGlite on the build while this process builds through it, lets go of
 * the build, and after the swap reopens on the new data dir. Other clients wait meanwhile; they see the previous
 * database until the swap and the new one after. Should this process die, the host puts the previous data dir back.
 */
export async function resetDataDir(project: Project, dataDirIn: string, opts: ResetOptions): Promise<ResetResult> {
  const started = performance.now();
  const dataDir = path.resolve(dataDirIn);
  const hosted = await hostFor(dataDir, project.config.db.keepWarm);
  if (hosted) return resetThroughHost(project, dataDir, opts, hosted, started);
  const release = acquireDataDirLock(dataDir, 'keel db reset');
  try {
    recoverDataDir(dataDir);
    const { result, build } = await buildBeside(project, dataDir, buildDirFor(dataDir), opts);
    const replaced = await swapDataDir(dataDir, build);
    return { ...result, target: `pglite:${dataDir}`, replaced, durationMs: performance.now() - started };
  } finally {
    release();
  }
}

async function hostFor(dataDir: string, keepWarm?: boolean): Promise<HostConnection | undefined> {
  const { autoStart, connectHost } = await import('../db/pglite/host/connect.js');
  let found = await connectHost(dataDir);
  if (!found && autoStart(process.env, keepWarm)) {
    const { startEngineHost } = await import('../db/pglite/host/control.js');
    await startEngineHost(dataDir);
    found = await connectHost(dataDir);
  }
  return found?.conn;
}

/** Builds the database in `build` (filled from the spare or the template); on failure `build` is removed. */
async function buildBeside(
  project: Project,
  dataDir: string,
  buildIn: string | undefined,
  opts: ResetOptions,
  host?: { open(extensions: string[]): Promise<string>; close(): Promise<void> },
): Promise<{ result: ResetResult; build: string }> {
  let spare: Promise<void> | undefined;
  // Open with the extensions the previous data dir used: most resets need no second open.
  const extensions = rememberedExtensions(dataDir);
  let build = buildIn ?? '';
  try {
    if (host) build = await host.open(extensions);
    else await freshDataDir(build, 'supabase', dataDir);
    const result = await withProjectSql(
      project,
      { ...opts, command: 'keel db reset (build)', target: { kind: 'pglite', dataDir: build }, extensions },
      async (engine, sql) => {
        // the next reset's fresh data dir is copied meanwhile (the build keeps PGlite's worker busy)
        spare = prepareSpare(dataDir, 'supabase');
        const r = await buildOn(engine, sql, opts, { mode: 'data-dir' });
        // from now on the data dir registers what the project creates, not what older builds did
        fs.writeFileSync(`${build}.extensions.json`, JSON.stringify(extensionsUsed(sql)));
        return r;
      },
    );
    await host?.close();
    await spare;
    return { result, build };
  } catch (err) {
    await host?.close().catch(() => undefined);
    await spare;
    if (build) discardBuild(build);
    throw err;
  }
}

async function resetThroughHost(
  project: Project,
  dataDir: string,
  opts: ResetOptions,
  conn: HostConnection,
  started: number,
): Promise<ResetResult> {
  const { lendSession } = await import('../db/pglite/host/connect.js');
  try {
    await conn.call({ op: 'acquire' });
    await conn.call({ op: 'suspend' }); // the host's PGlite is closed; its lock still covers the data dir
    recoverDataDir(dataDir);
    let unlend = () => undefined as unknown;
    let built: { result: ResetResult; build: string };
    try {
      built = await buildBeside(project, dataDir, undefined, opts, {
        // the host builds on a fresh data dir of its own choosing (its standby, already open, when it has one)
        open: async (extensions) => {
          const { serving } = await conn.call<PingReply>({ op: 'resume', build: true, extensions });
          unlend = lendSession(serving!, conn);
          return serving!;
        },
        close: async () => void (await conn.call({ op: 'suspend' })),
      });
    } finally {
      unlend();
    }
    const { result, build } = built;
    const replaced = await swapDataDir(dataDir, build);
    // releasing reopens the host on the new data dir (before the next client's request runs)
    await conn.call({ op: 'release' });
    return { ...result, target: `pglite:${dataDir}`, replaced, durationMs: performance.now() - started };
  } finally {
    conn.close(); // a failure above: the host puts its data dir right when this connection goes
  }
}
