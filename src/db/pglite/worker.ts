import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Extension } from '@electric-sql/pglite';
import type { QueryResult } from '../engine.js';
import { extensionSpecifier } from './extensions.js';
import type { Request, Response, WorkerInit } from './protocol.js';

/**
 * Owns one PGlite instance on a worker thread, so the main thread can stop it when a query never returns
 * (PGlite ignores statement_timeout and a running query blocks its thread).
 */
const init = workerData as WorkerInit;
const port = parentPort!;

async function loadExtensions(names: string[]): Promise<Record<string, Extension>> {
  const out: Record<string, Extension> = {};
  for (const name of names) {
    const mod = (await import(extensionSpecifier(name))) as Record<string, Extension>;
    const ext = mod[name];
    if (ext) out[name] = ext;
  }
  return out;
}

function errorFields(err: unknown): Extract<Response, { ok: false }>['error'] {
  const e = err as Record<string, unknown> & Error;
  const pick = (k: string) => (e[k] === undefined || e[k] === null ? undefined : e[k]);
  if (typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
    return {
      code: e.code,
      message: e.message,
      detail: pick('detail') as string | undefined,
      hint: pick('hint') as string | undefined,
      position: pick('position') === undefined ? undefined : Number(e.position),
      internalPosition: pick('internalPosition') === undefined ? undefined : Number(e.internalPosition),
      internalQuery: pick('internalQuery') as string | undefined,
      where: pick('where') as string | undefined,
      schema: pick('schema') as string | undefined,
      table: pick('table') as string | undefined,
      column: pick('column') as string | undefined,
      constraint: pick('constraint') as string | undefined,
    };
  }
  return { message: e?.message ?? String(err), internal: true, stack: e?.stack };
}

async function main(): Promise<void> {
  // V8 compiles PGlite's WebAssembly with its baseline compiler only: the optimising tier spends more CPU compiling the
  // big Postgres module than a CLI run saves (measured: embedded reset 2.35 s → 1.57 s wall, half the CPU). Long
  // analytical queries may run slower; KEEL_PGLITE_TIERUP=1 restores V8's default.
  if (!process.env.KEEL_PGLITE_TIERUP) v8.setFlagsFromString('--liftoff-only');
  const extensions = await loadExtensions(init.extensions);
  const loadDataDir = init.template ? new Blob([init.template as Uint8Array<ArrayBuffer>]) : undefined;
  // Dates, int8 and numeric stay text, as the pg driver returns them, so both engines give the same shapes.
  const asText = (v: string) => v;
  const parsers = { 20: asText, 1700: asText, 1082: asText, 1114: asText, 1184: asText };
  // bytea parameters: bytes as hex, and text ('\\x…') passed through for Postgres to read, as the pg driver does.
  const serializers = { 17: (v: unknown) => (v instanceof Uint8Array ? `\\x${Buffer.from(v).toString('hex')}` : String(v)) };
  const db = await PGlite.create(init.dataDir ?? 'memory://', { extensions, loadDataDir, parsers, serializers });
  port.postMessage({ id: 0, ok: true } satisfies Response);

  const answer = async (req: Request): Promise<void> => {
    try {
      let result: QueryResult | Uint8Array | number | undefined;
      let transfer: ArrayBuffer[] = [];
      if (req.op === 'query') {
        const r = await db.query(req.sql, req.params);
        result = { rows: r.rows as Record<string, unknown>[], affectedRows: r.affectedRows, fields: r.fields };
      } else if (req.op === 'exec') {
        await db.exec(req.sql);
      } else if (req.op === 'copyOut') {
        const r = await db.query(`copy ${req.source} to '/dev/blob'`);
        const bytes = r.blob ? new Uint8Array(await r.blob.arrayBuffer()) : new Uint8Array(0);
        result = bytes;
        transfer = [bytes.buffer];
      } else if (req.op === 'copyIn') {
        const r = await db.query(`copy ${req.target} from '/dev/blob'`, [], { blob: new Blob([req.data as Uint8Array<ArrayBuffer>]) });
        result = r.affectedRows ?? 0;
      } else if (req.op === 'dump') {
        const blob = await db.dumpDataDir('gzip');
        result = new Uint8Array(await blob.arrayBuffer());
      } else {
        await db.close();
      }
      port.postMessage({ id: req.id, ok: true, result } satisfies Response, transfer);
    } catch (err) {
      port.postMessage({ id: req.id, ok: false, error: errorFields(err) } satisfies Response);
    }
  };
  // Requests are answered as they come (PGlite queues them). Should even the error reply fail (a value that cannot be
  // cloned), the request still gets an answer: an unhandled rejection would end the worker and every pending request.
  port.on('message', (req: Request) => {
    answer(req).catch((err: unknown) =>
      port.postMessage({ id: req.id, ok: false, error: { message: String(err), internal: true } } satisfies Response),
    );
  });
}

main().catch((err) => port.postMessage({ id: 0, ok: false, error: errorFields(err) } satisfies Response));
