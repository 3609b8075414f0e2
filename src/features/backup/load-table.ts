/**
 * Loading one table's data file into COPY: gunzip streamed into the server (or, on PGlite, in batches that end on a row
 * boundary), the file's sha256 checked as it is read.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { KeelError } from '../../core/errors.js';
import type { Engine, Transaction } from '../../db/engine.js';
import { copyTarget, type TableEntry } from './format.js';
import { qualify, quoteIdent } from './quote.js';
import { checkSha256, fileSha256 } from './verify.js';

/**
 * Loads one table's file: gunzip streamed into COPY FROM. History tables are merged (rows the target has are kept);
 * a table whose columns differ from the target's (auth.users of another Supabase version) goes through a temporary
 * table and only the shared columns are copied.
 */
export async function loadTable(
  engine: Engine,
  tx: Transaction,
  dir: string,
  t: TableEntry,
  o: { merge?: boolean; batchBytes?: number },
): Promise<number> {
  const file = path.join(dir, t.file);
  const names = t.columns.map((c) => c.name);
  const live = await tx.query<{ name: string }>(
    `select attname as name from pg_attribute where attrelid = to_regclass($1) and attnum > 0 and not attisdropped and attgenerated = ''`,
    [qualify(t.schema, t.name)],
  );
  const liveNames = new Set(live.rows.map((r) => r.name));
  const direct = !o.merge && names.every((n) => liveNames.has(n));
  let rows: number;
  if (direct) {
    rows = await copyFile(engine, tx, file, t.sha256, copyTarget(t.schema, t.name, names), o.batchBytes);
  } else {
    const temp = `keel_restore_${t.name.replace(/[^a-z0-9_]/gi, '_').slice(0, 40)}`;
    await tx.exec(
      `create temp table ${quoteIdent(temp)} (${t.columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')}) on commit drop`,
    );
    rows = await copyFile(engine, tx, file, t.sha256, copyTarget('pg_temp', temp, names), o.batchBytes);
    const common = names
      .filter((n) => liveNames.has(n))
      .map(quoteIdent)
      .join(', ');
    await tx.exec(
      `insert into ${qualify(t.schema, t.name)} (${common}) select ${common} from pg_temp.${quoteIdent(temp)}${o.merge ? ' on conflict do nothing' : ''}`,
    );
    await tx.exec(`drop table pg_temp.${quoteIdent(temp)}`);
  }
  if (rows !== t.rows) {
    throw new KeelError('KEEL_BACKUP_INVALID', `${t.file}: loaded ${rows} rows, the manifest says ${t.rows}`, {
      hint: 'the backup is damaged; use another backup',
    });
  }
  return rows;
}

/**
 * Streams one data file into COPY, hashing it as it is read: the sha256 is checked when the file ends, before the
 * transaction that loaded it can commit, so a damaged file rolls back everything (KEEL_BACKUP_CORRUPT naming it). When
 * the load fails part-way (gunzip refusing a flipped byte, COPY refusing a garbled row), the file is hashed whole to
 * tell damage from a genuine database error.
 */
async function copyFile(
  engine: Engine,
  tx: Transaction,
  file: string,
  sha256: string,
  target: string,
  batchBytes?: number,
): Promise<number> {
  const hash = createHash('sha256');
  let rows: number;
  try {
    rows = await copyGzip(engine, tx, file, target, hash, batchBytes);
  } catch (err) {
    checkSha256(file, await fileSha256(file).catch(() => ''), sha256);
    throw err;
  }
  checkSha256(file, hash.digest('hex'), sha256);
  return rows;
}

async function copyGzip(
  engine: Engine,
  tx: Transaction,
  file: string,
  target: string,
  hash: Hash,
  batchBytes = 16 * 1024 * 1024,
): Promise<number> {
  const gunzip = zlib.createGunzip({ chunkSize: 1 << 16 }); // fewer, larger CopyData messages than the 16 KB default
  const hashing = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const feeding = pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), hashing, gunzip);
  feeding.catch(() => undefined); // the error also reaches whoever reads gunzip
  if (engine.capabilities.copy === 'stream') {
    const n = await tx.copyIn(target, gunzip);
    await feeding;
    return n;
  }
  // PGlite: each COPY's data passes through memory whole, so feed it batches that end on a row boundary.
  let n = 0;
  let parts: Buffer[] = [];
  let size = 0;
  let carry: Buffer = Buffer.alloc(0);
  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    const buf = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    const end = buf.lastIndexOf(10);
    if (end === -1) {
      carry = buf;
      continue;
    }
    parts.push(buf.subarray(0, end + 1));
    size += end + 1;
    carry = Buffer.from(buf.subarray(end + 1));
    if (size >= batchBytes) {
      n += await tx.copyIn(target, toIterable(parts));
      parts = [];
      size = 0;
    }
  }
  await feeding;
  if (carry.length) parts.push(carry);
  if (parts.length) n += await tx.copyIn(target, toIterable(parts));
  return n;
}

async function* toIterable(parts: Buffer[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield p;
}
