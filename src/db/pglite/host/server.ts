import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { DbError, KeelError } from '../../../core/errors.js';
import { makeDirs } from '../../../core/fs.js';
import { KEEL_VERSION } from '../../../version.js';
import type { Engine, QueryResult } from '../../engine.js';
import { buildDirFor, freshDataDir, recoverDataDir } from '../data-dir.js';
import { openPglite } from '../engine.js';
import { extensionModules, isEmptyDir, rememberExtensions } from '../extensions.js';
import { acquireDataDirLock } from '../lock.js';
import { collect } from '../chunks.js';
import { resetPgliteSession } from '../session-reset.js';
import { encodeFrame, FrameReader } from './framing.js';
import type { HostRequest, HostResponse, PingReply } from './messages.js';
import { HOST_PROTOCOL, hostLockCommand, socketPath, stateFile, type HostState } from './state.js';

type PgliteHandle = Engine & { dumpDataDir(): Promise<Uint8Array> };

interface Client {
  id: number;
  socket: net.Socket;
  closed: boolean;
  /** Requests being answered: a client that goes away is cleaned up after them, never beside them. */
  inflight: Set<Promise<void>>;
}

const log = (msg: string): void => void process.stderr.write(`${new Date().toISOString()} ${msg}\n`);

/**
 * The engine host: owns one project's embedded data dir (its lock says so) and its one PGlite session, serving many
 * client processes over a unix socket. The session goes to one client at a time, first come first served; a client
 * that disconnects holding it has its transaction rolled back, and every client starts on a reset session, as a new
 * process opening PGlite would.
 */
export class EngineHost {
  readonly socket: string;
  private readonly startedAt = new Date().toISOString();
  private server: net.Server | undefined;
  private engine: PgliteHandle | undefined;
  /** The dir PGlite runs on: the host's data dir, or a reset's build while one runs. */
  private serving: string;
  private registered: string[] = [];
  private clients = new Set<Client>();
  private holder: Client | null = null;
  private queue: { client: Client; grant: () => void; refuse: (e: Error) => void }[] = [];
  /** The client that used the session last: another one gets it reset first. */
  private lastUser: Client | null = null;
  private nextClient = 1;
  private idleTimer: NodeJS.Timeout | undefined;
  private stopping: Promise<void> | undefined;
  private release: () => void = () => undefined;
  private ready: Promise<void> = Promise.resolve();
  private reopening: Promise<void> | undefined;
  /** PGlite opened ahead on a fresh data dir, which the next reset builds in (see openBuild). */
  private standby: { dir: string; engine: PgliteHandle; registered: string[] } | undefined;
  private preparing: Promise<void> | undefined;
  private standbys = 0;
  /** Set once the lock is ours: only then are the socket and state file ours to remove. */
  private owner = false;
  private readonly timeoutMs = Number(process.env.KEEL_PGLITE_TIMEOUT_MS) || 600_000;

  constructor(
    readonly dataDir: string,
    private idleMs: number,
  ) {
    this.socket = socketPath(dataDir);
    this.serving = dataDir;
  }

  /** Takes the lock, listens, writes the state file, then opens PGlite (requests wait until it is open). */
  async start(): Promise<void> {
    this.release = acquireDataDirLock(this.dataDir, hostLockCommand(this.socket));
    this.owner = true;
    discardStandbys(this.dataDir); // a killed host's
    if (process.platform !== 'win32') fs.rmSync(this.socket, { force: true }); // ours: the lock says no other host runs
    this.server = net.createServer((s) => this.accept(s));
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(this.socket, () => resolve());
    });
    const state: HostState = {
      pid: process.pid,
      socket: this.socket,
      version: KEEL_VERSION,
      protocol: HOST_PROTOCOL,
      startedAt: this.startedAt,
      dataDir: this.dataDir,
      idleMs: this.idleMs,
    };
    fs.writeFileSync(`${stateFile(this.dataDir)}.${process.pid}.tmp`, JSON.stringify(state));
    fs.renameSync(`${stateFile(this.dataDir)}.${process.pid}.tmp`, stateFile(this.dataDir));
    this.ready = this.openHome();
    this.ready.catch(() => undefined);
    await this.ready;
    this.kickStandby();
    this.armIdle();
    log(`serving ${this.dataDir} on ${this.socket} (idle timeout ${Math.round(this.idleMs / 1000)} s)`);
  }

  /** Closes PGlite cleanly, removes the socket and state file, lets go of the lock. */
  stop(why: string): Promise<void> {
    this.stopping ??= (async () => {
      log(`stopping: ${why}`);
      clearTimeout(this.idleTimer);
      this.server?.close();
      for (const q of this.queue.splice(0)) q.refuse(new KeelError('KEEL_ENGINE_HOST_GONE', 'the engine host is stopping'));
      await this.ready.catch(() => undefined);
      await this.reopening?.catch(() => undefined);
      await this.preparing?.catch(() => undefined);
      await this.closeEngine();
      if (this.standby) await dropStandby(this.standby);
      this.standby = undefined;
      if (this.owner) discardStandbys(this.dataDir);
      for (const c of this.clients) c.socket.destroy();
      if (!this.owner) return;
      fs.rmSync(stateFile(this.dataDir), { force: true });
      if (process.platform !== 'win32') fs.rmSync(this.socket, { force: true });
      this.release();
    })();
    return this.stopping;
  }

  private status(): PingReply {
    return {
      pid: process.pid,
      socket: this.socket,
      version: KEEL_VERSION,
      protocol: HOST_PROTOCOL,
      startedAt: this.startedAt,
      clients: this.clients.size,
      idleMs: this.idleMs,
      dataDir: this.dataDir,
      serving: this.engine ? this.serving : null,
      registered: this.registered,
      busy: this.reopening !== undefined || this.preparing !== undefined,
    };
  }

  private armIdle(): void {
    clearTimeout(this.idleTimer);
    if (this.clients.size === 0 && !this.stopping) {
      this.idleTimer = setTimeout(
        () => void this.stop(`no client for ${Math.round(this.idleMs / 1000)} s`).then(() => process.exit(0)),
        this.idleMs,
      );
    }
  }

  private accept(socket: net.Socket): void {
    const client: Client = { id: this.nextClient++, socket, closed: false, inflight: new Set() };
    this.clients.add(client);
    clearTimeout(this.idleTimer);
    const reader = new FrameReader((m) => {
      const p = this.handle(client, m as HostRequest).finally(() => client.inflight.delete(p));
      client.inflight.add(p);
    });
    socket.on('data', (d: Buffer) => {
      try {
        reader.push(d);
      } catch (err) {
        log(`client ${client.id}: bad frame (${(err as Error).message}); disconnecting it`);
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => void this.gone(client));
  }

  /** A client went away: out of the queue, and if it held the session, its work is undone before the next one. */
  private async gone(client: Client): Promise<void> {
    client.closed = true;
    this.clients.delete(client);
    for (const q of this.queue.filter((w) => w.client === client)) q.refuse(new KeelError('KEEL_ENGINE_HOST_GONE', 'the client went away'));
    this.queue = this.queue.filter((q) => q.client !== client);
    await Promise.allSettled([...client.inflight]);
    if (this.holder === client) {
      try {
        if (!this.engine || this.serving !== this.dataDir) {
          log(`client ${client.id} left during a suspend or a reset's build: back to ${this.dataDir}`);
          const build = this.serving;
          await this.closeEngine();
          // a build from a standby is not one recoverDataDir knows (a `.reset-` one is, and goes when PGlite reopens)
          if (path.basename(build).startsWith(`${path.basename(this.dataDir)}${STANDBY}`)) {
            for (const p of [build, `${build}.extensions.json`]) fs.rmSync(p, { recursive: true, force: true });
          }
          this.serving = this.dataDir; // reopened (and the build cleaned up) before the next request runs
        } else {
          await resetPgliteSession(this.engine);
        }
      } catch (err) {
        log(`client ${client.id} left holding the session; undoing its work failed: ${(err as Error).message}; reopening`);
        await this.closeEngine();
        this.serving = this.dataDir;
      }
      this.lastUser = null;
      this.give(client);
    }
    this.armIdle();
  }

  private take(client: Client): Promise<void> {
    if (this.holder === null && this.queue.length === 0) {
      this.holder = client;
      return this.fresh(client);
    }
    return new Promise<void>((grant, refuse) => this.queue.push({ client, grant, refuse }));
  }

  private give(client: Client): void {
    if (this.holder !== client) return;
    this.holder = null;
    if (!this.engine && !this.stopping) {
      // after a suspend (a reset): PGlite reopens at once, not on demand, and the next reset's standby opens beside it
      void this.ensureOpen().catch(() => undefined);
      this.kickStandby();
    }
    const next = this.queue.shift();
    if (!next) return;
    this.holder = next.client;
    void this.fresh(next.client).then(next.grant);
  }

  /** The session as a new one starts, when it was last used by another client. */
  private async fresh(client: Client): Promise<void> {
    try {
      if (this.lastUser !== null && this.lastUser !== client && this.engine) await resetPgliteSession(this.engine);
    } catch (err) {
      log(`resetting the session for client ${client.id} failed: ${(err as Error).message}`);
    }
    this.lastUser = client;
  }

  private async handle(client: Client, req: HostRequest): Promise<void> {
    let res: HostResponse;
    try {
      res = { id: req.id, ok: true, result: (await this.answer(client, req)) as QueryResult | Uint8Array | number | undefined };
    } catch (err) {
      res = failure(req.id, err);
    }
    if (!client.closed) client.socket.write(encodeFrame(res));
    if (req.op === 'shutdown') void this.stop('asked to shut down').then(() => process.exit(0));
  }

  private async answer(client: Client, req: HostRequest): Promise<unknown> {
    if (req.op === 'ping') {
      await this.ready.catch(() => undefined);
      return this.status();
    }
    if (req.op === 'shutdown') return undefined;
    if (this.stopping) throw new KeelError('KEEL_ENGINE_HOST_GONE', 'the engine host is stopping');
    await this.ready;
    if (req.op === 'acquire') {
      if (this.holder === client) throw new KeelError('KEEL_ENGINE_HOST', 'this client already holds the session');
      return this.take(client);
    }
    if (req.op === 'release') return this.give(client);
    if (req.op === 'suspend' || req.op === 'resume') {
      if (this.holder !== client) throw new KeelError('KEEL_ENGINE_HOST', `${req.op} needs the session held (acquire first)`);
      if (this.reopening && this.serving === this.dataDir) {
        // PGlite is reopening after the previous reset: not waited for (a reset right after a reset), only closed
        // as soon as it is open; closing a build (the suspend before a swap) waits for that
        this.epoch++;
        const abandoned = this.reopening;
        this.abandoned = Promise.all([this.abandoned, abandoned.catch(() => undefined)]).then(() => undefined);
      } else {
        await this.abandoned;
      }
      await this.closeEngine();
      if (req.op === 'resume') {
        if (req.build) await this.openBuild(req.extensions ?? []);
        else if (req.dataDir && req.dataDir !== this.dataDir) await this.open(req.dataDir, req.extensions ?? []);
        else await this.openHome(req.extensions);
      }
      return this.status();
    }
    if (req.op === 'extensions' && this.engine && extensionModules(req.names).every((m) => this.registered.includes(m))) {
      return this.registered;
    }
    // everything else runs on the session: at once for its holder, else queued as acquire + call + release
    if (this.holder === client) return this.run(req);
    await this.take(client);
    try {
      return await this.run(req);
    } finally {
      this.give(client);
    }
  }

  private async run(req: HostRequest): Promise<unknown> {
    if (req.op === 'extensions') {
      if (!this.engine && this.serving === this.dataDir) await this.ensureOpen();
      return this.ensureExtensions(req.names);
    }
    if (!this.engine) {
      if (this.serving !== this.dataDir) throw new KeelError('KEEL_ENGINE_HOST', 'the engine host is suspended');
      await this.ensureOpen();
      if (!this.engine) throw new KeelError('KEEL_ENGINE_HOST', 'the engine host is suspended');
    }
    const engine = this.engine;
    try {
      switch (req.op) {
        case 'query':
          return await engine.query(req.sql, req.params);
        case 'exec':
          return await engine.exec(req.sql);
        case 'copyOut':
          return await collect(engine.copyOut(req.source));
        case 'copyIn':
          return await engine.copyIn(req.target, once(req.data));
        case 'dump':
          return await engine.dumpDataDir();
        default:
          throw new KeelError('KEEL_ENGINE_HOST', `unknown request ${(req as { op: string }).op}`);
      }
    } catch (err) {
      // the watchdog stopped a stuck statement (or the worker died): a new PGlite is opened for the next request
      const lost =
        (err instanceof KeelError && err.code === 'KEEL_PGLITE_TIMEOUT') || /PGlite worker exited|engine is closed/.test(String(err));
      if (lost && this.engine === engine) {
        log(`the PGlite worker was lost (${String(err)}); it reopens on the next request`);
        await this.closeEngine();
      }
      throw err;
    }
  }

  /** Registers what the client needs; PGlite registers extensions at start-up, so a missing one restarts it. */
  private async ensureExtensions(names: string[]): Promise<string[]> {
    const wanted = extensionModules(rememberExtensions(this.serving, names));
    if (this.engine && wanted.every((m) => this.registered.includes(m))) return this.registered;
    log(`registering extensions ${wanted.join(', ')}: restarting PGlite`);
    await this.closeEngine();
    await this.open(this.serving, names);
    const standby = this.standby;
    if (standby && !this.registered.every((m) => standby.registered.includes(m))) {
      this.standby = undefined; // the next reset will want these too: a standby with them replaces it
      await dropStandby(standby);
      this.kickStandby();
    }
    return this.registered;
  }

  /** Opens PGlite on the host's data dir unless open (one attempt at a time). */
  private async ensureOpen(): Promise<void> {
    const epoch = this.epoch;
    while (!this.engine && !this.stopping && epoch === this.epoch) await this.openingHome();
  }

  private openingHome(): Promise<void> {
    this.reopening ??= this.openHome()
      .then(() => {
        if (this.engine) this.kickStandby(); // not after an open a suspend abandoned
      })
      .finally(() => {
        this.reopening = undefined;
      });
    return this.reopening;
  }

  /** Bumped by a suspend that abandons an open under way: that open's PGlite is closed as soon as it is up. */
  private epoch = 0;
  /** Abandoned opens' closing (see epoch). */
  private abandoned: Promise<void> = Promise.resolve();

  private async openHome(extensions: string[] = []): Promise<void> {
    recoverDataDir(this.dataDir);
    if (isEmptyDir(this.dataDir)) {
      const build = buildDirFor(this.dataDir);
      await freshDataDir(build, 'supabase');
      if (!isEmptyDir(build)) {
        fs.rmSync(this.dataDir, { recursive: true, force: true });
        fs.renameSync(build, this.dataDir);
      }
      fs.rmSync(build, { recursive: true, force: true });
    }
    makeDirs(this.dataDir);
    await this.open(this.dataDir, extensions);
  }

  private async open(dir: string, extensions: string[]): Promise<void> {
    const epoch = this.epoch;
    this.serving = dir;
    const { engine, registered } = await this.launch(dir, extensions);
    if (epoch !== this.epoch) {
      await engine.close().catch(() => undefined); // abandoned meanwhile (see epoch)
      return;
    }
    this.engine = engine;
    this.registered = registered;
    this.lastUser = null;
  }

  private async launch(dir: string, extensions: string[]): Promise<{ engine: PgliteHandle; registered: string[] }> {
    const started = performance.now();
    const engine = (await openPglite({
      dataDir: dir,
      extensions,
      flavour: 'supabase',
      timeoutMs: this.timeoutMs,
      inHost: true,
    })) as PgliteHandle;
    const registered = extensionModules(rememberExtensions(dir, []));
    log(`PGlite open on ${dir} in ${Math.round(performance.now() - started)} ms (${registered.join(', ')})`);
    return { engine, registered };
  }

  /**
   * A reset's build: the standby when it has the extensions (an instance opened ahead on a fresh data dir, so a warm
   * reset pays no PGlite start-up), else a fresh data dir beside the host's, opened now. The reply's `serving` names it.
   */
  private async openBuild(extensions: string[]): Promise<void> {
    await this.preparing?.catch(() => undefined);
    const standby = this.standby;
    this.standby = undefined;
    const wanted = extensionModules(extensions);
    if (standby && wanted.every((m) => standby.registered.includes(m))) {
      this.serving = standby.dir;
      this.engine = standby.engine;
      this.registered = standby.registered;
      this.lastUser = null;
      return;
    }
    if (standby) await dropStandby(standby);
    const build = buildDirFor(this.dataDir);
    await freshDataDir(build, 'supabase', this.dataDir);
    await this.open(build, extensions);
  }

  /** Opens the standby for the next reset, in the background, once the host's own PGlite is open. */
  private kickStandby(): void {
    if (this.standby || this.preparing || this.stopping || process.env.KEEL_ENGINE_STANDBY === '0') return;
    // a new name each time: the previous standby may be a reset's build right now, or its data dir since the swap
    const dir = `${this.dataDir}${STANDBY}${process.pid}-${++this.standbys}`;
    this.preparing = (async () => {
      await freshDataDir(dir, 'supabase', this.dataDir);
      fs.writeFileSync(`${dir}.extensions.json`, JSON.stringify(rememberExtensions(this.dataDir, [])));
      const { engine, registered } = await this.launch(dir, []);
      if (this.stopping) await dropStandby({ dir, engine });
      else this.standby = { dir, engine, registered };
    })()
      .catch((err: Error) => {
        log(`no standby for the next reset: ${err.message}`);
        for (const p of [dir, `${dir}.extensions.json`]) fs.rmSync(p, { recursive: true, force: true });
      })
      .finally(() => {
        this.preparing = undefined;
      });
  }

  private async closeEngine(): Promise<void> {
    const e = this.engine;
    this.engine = undefined;
    this.registered = [];
    if (e) await e.close();
  }
}

/** Standbys are `<dataDir>.standby-<pid>-<n>`, with their `.extensions.json`. */
const STANDBY = '.standby-';

/** Removes every standby beside the data dir (the host's own at start and stop, when none is in use). */
function discardStandbys(dataDir: string): void {
  const base = path.basename(dataDir);
  let names: string[] = [];
  try {
    names = fs.readdirSync(path.dirname(dataDir)).filter((n) => n.startsWith(`${base}${STANDBY}`));
  } catch {
    /* no folder yet */
  }
  for (const n of names) fs.rmSync(path.join(path.dirname(dataDir), n), { recursive: true, force: true });
}

/** Closes a standby no reset will use, and removes its data dir. */
async function dropStandby(standby: { dir: string; engine: PgliteHandle }): Promise<void> {
  await standby.engine.close().catch(() => undefined);
  for (const p of [standby.dir, `${standby.dir}.extensions.json`]) fs.rmSync(p, { recursive: true, force: true });
}

async function* once(data: Uint8Array): AsyncGenerator<Uint8Array> {
  yield data;
}

function failure(id: number, err: unknown): HostResponse {
  if (err instanceof DbError) {
    const { code, message, detail, hint, position, internalPosition, internalQuery, where, schema, table, column, constraint } = err;
    return {
      id,
      ok: false,
      error: { code, message, detail, hint, position, internalPosition, internalQuery, where, schema, table, column, constraint },
    };
  }
  if (err instanceof KeelError)
    return { id, ok: false, keel: { code: err.code, message: err.message, hint: err.hint, detail: err.detail } };
  const e = err as Error;
  return { id, ok: false, error: { message: e?.message ?? String(err), internal: true, stack: e?.stack } };
}
