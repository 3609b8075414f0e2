import { describe, expect, it } from 'vitest';
import { encodeFrame, FrameReader } from '../../src/db/pglite/host/framing.js';

describe('engine host framing', () => {
  const messages = [
    { id: 1, op: 'query', sql: 'select $1', params: [1] },
    { id: 2, ok: true, result: new Uint8Array([0, 1, 2, 255]) },
    { id: 3, ok: true, result: { rows: [{ a: 'é', b: null, c: [1, 2] }], fields: [] } },
  ];
  const wire = Buffer.concat(messages.map((m) => encodeFrame(m)));

  it('reads frames however the stream is cut: byte by byte, all at once, or in uneven pieces', () => {
    for (const step of [1, 3, 7, wire.length]) {
      const got: unknown[] = [];
      const reader = new FrameReader((m) => got.push(m));
      for (let at = 0; at < wire.length; at += step) reader.push(wire.subarray(at, at + step));
      expect(got).toEqual(messages);
    }
  });

  it('keeps a partial frame until the rest arrives', () => {
    const got: unknown[] = [];
    const reader = new FrameReader((m) => got.push(m));
    const first = encodeFrame(messages[0]);
    reader.push(first.subarray(0, first.length - 1));
    expect(got).toEqual([]);
    reader.push(first.subarray(first.length - 1));
    expect(got).toEqual([messages[0]]);
  });
});
