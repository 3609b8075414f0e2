import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { DbError, KeelError } from '../../core/errors.js';
import { replyError, type Call, type Response, type WorkerInit } from './protocol.js';

function spawnWorker(init: WorkerInit): Worker {
  if (!fileURLToPath(import.meta.url).endsWith('.ts')) return new Worker(new URL('./worker.js', import.meta.url), { workerData: init });
  // Running from TypeScript sources (tests, tsx): register tsx inside the worker before loading it.
  const url = new URL('./worker.ts', import.meta.url).href;
  const boot = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url)}); })`;
  return new Worker(boot, { eval: true, workerData: init });
}

/** The main thread's handle on the worker that owns one PGlite instance: requests, replies and the watchdog. */
export class PgliteWorker {
  private worker: Worker;
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void; timer?: NodeJS.Timeout }>();
  private dead: Error | undefined;

  constructor(
    init: WorkerInit,
    private timeoutMs: number,
  ) {
    this.worker = spawnWorker(init);
    this.worker.on('message', (res: Response) => this.settle(res));
    this.worker.on('error', (err) => this.fail(err));
    this.worker.on('exit', (code) => this.fail(new Error(`the PGlite worker exited (code ${code})`)));
  }

  /** Resolves when PGlite has opened (request id 0 is the start-up handshake). */
  ready(startTimeoutMs: number): Promise<void> {
    return this.wait(0, startTimeoutMs, 'opening the database') as Promise<void>;
  }

  /** Sends one request; buffers in `transfer` move to the worker (unusable here afterwards) instead of being copied. */
  call<T>(req: Call, timeoutMs = this.timeoutMs, transfer: ArrayBuffer[] = []): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    const p = this.wait(id, timeoutMs, describeCall(req));
    this.worker.postMessage({ ...req, id }, transfer);
    return p as Promise<T>;
  }

  async terminate(): Promise<void> {
    this.dead ??= new Error('the PGlite engine is closed');
    await this.worker.terminate();
  }

  private wait(id: number, timeoutMs: number, doing: string): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const err = new KeelError(
          'KEEL_PGLITE_TIMEOUT',
          `the embedded database did not answer within ${Math.round(timeoutMs / 1000)} s while ${doing}; Keel stopped it`,
          {
            hint: 'PGlite can hang on some extension combinations (pg_trgm after pgcrypto); raise KEEL_PGLITE_TIMEOUT_MS for long statements, or use --db-url with a real server',
          },
        );
        this.fail(err);
        void this.worker.terminate();
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
    });
  }

  private settle(res: Response): void {
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    clearTimeout(p.timer);
    if (res.ok) p.resolve(res.result);
    else p.reject(replyError(res.error));
  }

  private fail(err: Error): void {
    this.dead ??= err;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(err);
      this.pending.delete(id);
    }
  }
}

function describeCall(req: Call): string {
  if ('sql' in req) return `running: ${oneLine(req.sql)}`;
  if (req.op === 'copyOut') return `copying out of ${oneLine(req.source)}`;
  if (req.op === 'copyIn') return `copying into ${oneLine(req.target)}`;
  return req.op;
}

function oneLine(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Starts a throwaway in-memory instance to produce the cached template. */
export async function buildTemplate(): Promise<Uint8Array> {
  const w = new PgliteWorker({ extensions: [] }, 120_000);
  try {
    await w.ready(120_000);
    const bytes = await w.call<Uint8Array>({ op: 'dump' });
    await w.call({ op: 'close' });
    return bytes;
  } finally {
    await w.terminate();
  }
}

/** Starts a worker and waits until PGlite has opened, turning start-up failures into one clear error. */
export async function startWorker(init: WorkerInit, timeoutMs: number): Promise<PgliteWorker> {
  const w = new PgliteWorker(init, timeoutMs);
  try {
    await w.ready(120_000);
    return w;
  } catch (err) {
    await w.terminate();
    if (err instanceof DbError || err instanceof KeelError) throw err;
    throw new KeelError(
      'KEEL_PGLITE_OPEN',
      `could not open the embedded database${init.dataDir ? ` at ${init.dataDir}` : ''}: ${(err as Error).message}`,
      {
        hint: init.dataDir ? 'if the folder is damaged, move it away (keel recreates it) or restore a backup' : undefined,
      },
    );
  }
}
