/**
 * Where an engine host lives: its unix socket under the OS temp dir (named by a hash of the data dir, since a socket
 * path may not exceed 108 bytes), its state file `<dataDir>.host.json` (written once it listens, removed when it stops)
 * and its log `<dataDir>.host.log`. Light on purpose: a client process reads these before deciding what to load.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Bumped when the messages between client and host change: a client never talks to a host of another protocol. */
export const HOST_PROTOCOL = 1;

/** Default idle timeout: the host exits after this long with no client connected (KEEL_ENGINE_IDLE_MS overrides). */
export const DEFAULT_HOST_IDLE_MS = 10 * 60_000;

export interface HostState {
  pid: number;
  socket: string;
  /** Keel's version (package.json) of the host. */
  version: string;
  protocol: number;
  startedAt: string;
  dataDir: string;
  idleMs: number;
}

/** What `engineHostStatus` reports. */
export interface HostStatus {
  pid: number;
  socket: string;
  startedAt: string;
  uptimeMs: number;
  /** Client connections open now. */
  clients: number;
  version: string;
  /** The idle timeout it runs with. */
  idleMs: number;
}

export function socketPath(dataDir: string): string {
  const hash = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
  if (process.platform === 'win32') return `\\\\.\\pipe\\keel-engine-${hash}`;
  return path.join(os.tmpdir(), `keel-engine-${hash}.sock`);
}

export const stateFile = (dataDir: string): string => `${path.resolve(dataDir)}.host.json`;
export const hostLog = (dataDir: string): string => `${path.resolve(dataDir)}.host.log`;

export function readHostState(dataDir: string): HostState | undefined {
  try {
    return JSON.parse(fs.readFileSync(stateFile(dataDir), 'utf8')) as HostState;
  } catch {
    return undefined;
  }
}

export { isProcessAlive as alive } from '../../../core/process.js';

/** What the host's data-dir lock says in its `command` field: other commands' "in use by" messages name the host. */
export function hostLockCommand(socket: string): string {
  return `keel engine host, serving clients on ${socket}`;
}
