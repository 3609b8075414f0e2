/**
 * Frames on the engine host's socket: a 4-byte big-endian length, then a `v8.serialize` payload (structured clone:
 * Uint8Array for COPY data and dumps, Dates, nested rows, all as they are).
 */
import v8 from 'node:v8';

export function encodeFrame(message: unknown): Buffer {
  const body = v8.serialize(message);
  const head = Buffer.allocUnsafe(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

/** Collects socket data and hands out each whole frame's message (joining a frame's chunks once, when it is whole). */
export class FrameReader {
  private parts: Buffer[] = [];
  private size = 0;
  /** The current frame's payload length, once its header is in. */
  private need = -1;

  constructor(private onMessage: (message: unknown) => void) {}

  push(chunk: Buffer): void {
    this.parts.push(chunk);
    this.size += chunk.length;
    for (;;) {
      if (this.need < 0) {
        if (this.size < 4) return;
        const head = this.parts[0]!.length >= 4 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
        this.need = head.readUInt32BE(0);
      }
      if (this.size < 4 + this.need) return;
      const buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.size);
      const message = v8.deserialize(buf.subarray(4, 4 + this.need)) as unknown;
      const rest = buf.subarray(4 + this.need);
      this.parts = rest.length ? [rest] : [];
      this.size = rest.length;
      this.need = -1;
      this.onMessage(message);
    }
  }
}
