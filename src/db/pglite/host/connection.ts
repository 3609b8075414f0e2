import net from 'node:net';
import { KeelError } from '../../../core/errors.js';
import { encodeFrame, FrameReader } from './framing.js';
import type { HostCall, HostResponse } from './messages.js';
import { replyError } from '../protocol.js';

/** One client connection to an engine host: requests with ids, replies matched to them, failure of all on close. */
export class HostConnection {
  private nextId = 1;
  private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private dead: Error | undefined;

  private constructor(
    private socket: net.Socket,
    readonly path: string,
  ) {
    const reader = new FrameReader((m) => this.settle(m as HostResponse));
    socket.on('data', (d: Buffer) => reader.push(d));
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new KeelError('KEEL_ENGINE_HOST_GONE', `the engine host at ${path} closed the connection`)));
  }

  /** Connects, or rejects (ENOENT, ECONNREFUSED) within `timeoutMs`. */
  static connect(socketPath: string, timeoutMs = 2_000): Promise<HostConnection> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(socketPath);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connecting to ${socketPath} timed out`));
      }, timeoutMs);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeListener('error', reject);
        resolve(new HostConnection(socket, socketPath));
      });
      socket.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
    });
  }

  call<T>(req: HostCall): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(encodeFrame({ ...req, id }));
    });
  }

  close(): void {
    this.dead ??= new KeelError('KEEL_ENGINE_HOST_GONE', 'the connection to the engine host is closed');
    this.socket.end();
    this.socket.destroy();
  }

  private settle(res: HostResponse): void {
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    if (res.ok) p.resolve(res.result);
    else if ('keel' in res) p.reject(new KeelError(res.keel.code, res.keel.message, { hint: res.keel.hint, detail: res.keel.detail }));
    else p.reject(replyError(res.error));
  }

  private fail(err: Error): void {
    this.dead ??= err;
    for (const [id, p] of this.pending) {
      p.reject(this.dead);
      this.pending.delete(id);
    }
  }
}
