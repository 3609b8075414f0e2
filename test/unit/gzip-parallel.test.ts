import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { gzipParallel } from '../../src/features/backup/gzip-parallel.js';

async function* chunked(buf: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

async function collect(src: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const b of src) out.push(b);
  return out;
}

describe('gzipParallel', () => {
  it('writes members that gunzip back to the input, in order, whatever the chunking', async () => {
    // Text-like data with some randomness, so blocks differ and compress to different sizes.
    const input = Buffer.concat(
      Array.from({ length: 3000 }, (_, i) => Buffer.from(`${i}\tevent ${randomBytes(8).toString('hex')}\t{"k": ${i}}\n`)),
    );
    const members = await collect(gzipParallel(chunked(input, 777), { blockBytes: 4096, inFlight: 3 }));
    expect(members.length).toBeGreaterThan(10);
    expect(zlib.gunzipSync(Buffer.concat(members)).equals(input)).toBe(true);
  });

  it('writes one empty member for empty input (a valid gzip file), and passes a source error on', async () => {
    const empty = await collect(gzipParallel(chunked(Buffer.alloc(0), 10)));
    expect(empty).toHaveLength(1);
    expect(zlib.gunzipSync(Buffer.concat(empty)).length).toBe(0);
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('abc');
      throw new Error('source broke');
    }
    await expect(collect(gzipParallel(failing(), { blockBytes: 1 }))).rejects.toThrow('source broke');
  });
});
