/** copyOut hands its data out in slices of this size (views on one buffer: no copying). */
const CHUNK = 1 << 20;

/** Runs `fetch` when iteration starts (not when copyOut is called) and yields its bytes in {@link CHUNK} slices. */
export async function* chunked(fetch: () => Promise<Uint8Array>): AsyncGenerator<Uint8Array> {
  const bytes = await fetch();
  for (let at = 0; at < bytes.length; at += CHUNK) yield bytes.subarray(at, Math.min(at + CHUNK, bytes.length));
}

/** Joins the chunks of `data` into one buffer of its own (safe to transfer to the worker). */
export async function collect(data: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of data) {
    parts.push(chunk);
    size += chunk.length;
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
