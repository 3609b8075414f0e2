/**
 * gzip on every core: the stream is cut into blocks of about 1 MB, each compressed on libuv's thread pool as a gzip
 * member of its own, and the members come out in order. A concatenation of members is one valid gzip file (RFC 1952;
 * `gunzip`, Node's `createGunzip` and pg tools read it whole). One zlib stream compresses on one thread only, which on
 * a million-row table took longer than reading the rows (bench/backup.js).
 *
 * @example
 * await pipeline(Readable.from(gzipParallel(tx.copyOut(source))), fs.createWriteStream(file));
 */
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const gzip = promisify(zlib.gzip);

/**
 * An 8 KB window (zlib's default is 32 KB) and the largest hash table: on COPY text at level 1 this compressed 1.4×
 * faster and no larger (bench data, 32 MB: 0.23 s against 0.33 s, 32.5% against 34.8% of the input). COPY rows
 * repeat themselves within a few rows, so a longer window finds little more. Any gzip reader takes any window size.
 */
const WINDOW_BITS = 13;
const MEM_LEVEL = 9;

/** Joins small chunks into blocks of at least `bytes` (the last one may be shorter). */
async function* blocks(src: AsyncIterable<Uint8Array>, bytes: number): AsyncGenerator<Buffer> {
  let parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of src) {
    parts.push(chunk);
    size += chunk.byteLength;
    if (size >= bytes) {
      yield Buffer.concat(parts, size);
      parts = [];
      size = 0;
    }
  }
  if (size > 0) yield Buffer.concat(parts, size);
}

/**
 * Compressed members of `src`, in order. At most `inFlight` blocks are being compressed at once, and the source is
 * read only as the output is consumed, so memory stays at about `inFlight × 2 × blockBytes`.
 */
export async function* gzipParallel(
  src: AsyncIterable<Uint8Array>,
  opts: { level?: number; blockBytes?: number; inFlight?: number } = {},
): AsyncGenerator<Buffer> {
  const { level = 1, blockBytes = 1 << 20, inFlight = 4 } = opts;
  const pending: Promise<Buffer>[] = [];
  let any = false;
  try {
    for await (const block of blocks(src, blockBytes)) {
      any = true;
      pending.push(gzip(block, { level, windowBits: WINDOW_BITS, memLevel: MEM_LEVEL }));
      if (pending.length >= inFlight) yield await pending.shift()!;
    }
    while (pending.length > 0) yield await pending.shift()!;
    // Empty input still makes a valid gzip file (one empty member), as a zlib stream would: a reader expects a header.
    if (!any) yield await gzip(Buffer.alloc(0), { level, windowBits: WINDOW_BITS, memLevel: MEM_LEVEL });
  } finally {
    // On an early stop, settle what is still compressing so no rejection goes unhandled.
    await Promise.allSettled(pending);
  }
}
