import type { Call, Response } from '../protocol.js';

/**
 * What a client sends the engine host: the worker's {@link Call}s (except `close`), run on the host's one PGlite
 * session, plus the host's own ops. A call from a client that does not hold the session is queued and run as
 * acquire + call + release; a client that holds it (`acquire`) runs everything at once until `release`.
 */
export type HostCall =
  | Exclude<Call, { op: 'close' }>
  /** Waits (FIFO) until this client holds the session alone. */
  | { op: 'acquire' }
  | { op: 'release' }
  /** Registers these extensions (SQL names), restarting the host's PGlite when it lacks one; replies the modules registered. */
  | { op: 'extensions'; names: string[] }
  /** Holder only: closes PGlite and lets go of the data dir (the lock stays the host's). */
  | { op: 'suspend' }
  /**
   * Holder only: opens PGlite again: with `build`, on a fresh data dir for a reset to build in (named by the reply's
   * `serving`); else on `dataDir`, or the host's own data dir.
   */
  | { op: 'resume'; build?: boolean; dataDir?: string; extensions?: string[] }
  | { op: 'ping' }
  | { op: 'shutdown' };

export type HostRequest = HostCall & { id: number };

export type HostResponse =
  | Response
  | {
      id: number;
      ok: false;
      /** A KeelError raised on the host, rebuilt as one on the client. */
      keel: { code: string; message: string; hint?: string; detail?: string };
    };

/** What `ping` answers. */
export interface PingReply {
  pid: number;
  socket: string;
  version: string;
  protocol: number;
  startedAt: string;
  clients: number;
  idleMs: number;
  /** The host's data dir, and the dir PGlite runs on now (a reset's build while one runs). */
  dataDir: string;
  serving: string | null;
  registered: string[];
  /** Opening PGlite, or the standby for the next reset, in the background. */
  busy: boolean;
}
