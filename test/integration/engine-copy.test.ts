import { afterEach, describe, expect, it } from 'vitest';
import { DbError, openEngine, type Engine } from '../../src/index.js';
import { createTestDatabase, engineNames, pgAdminUrl, type TestDatabase } from '../support/postgres.js';

/** The engine-level COPY API (Copier) on each engine: text format, on the engine and inside a transaction. */

const TABLE = `create table src (
  id int primary key,
  t text,
  doc jsonb,
  b bytea,
  at timestamptz,
  n numeric,
  tags text[],
  nums int[]
)`;

/** Values that exercise text-format escaping: NULLs, tabs, newlines, backslashes, unicode, quotes in arrays. */
const SEED = `insert into src values
  (1, e'tab\\there\\nnewline\\\\backslash\\r\\n', '{"k": "v\\tw", "n": [1, null, "\\u00e9"]}', '\\x00ff5c0a09'::bytea,
     '2026-01-02 03:04:05.123456+00', 12345678901234567890.000000001, array['a b', 'c,d', 'e"f', null, e'g\\\\h', '{}'], array[1, null, 3]),
  (2, null, null, null, null, null, null, null),
  (3, 'żółć 日本語 🎉 \\N literally', 'null', ''::bytea, '-infinity', 'NaN', '{}', '{}'),
  (4, '', '[]', '\\xdeadbeef', '1999-12-31 23:59:59-08', -0.5, array[''], array[-2147483648])`;

const SELECT_ALL = `select id, t, doc, encode(b, 'hex') as b, (at at time zone 'UTC')::text as at, n::text as n, tags, nums from %s order by id`;

async function* from(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield Buffer.from(p);
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

describe.each(engineNames)('COPY on %s', (engineName) => {
  let engine: Engine | undefined;
  let db: TestDatabase | undefined;
  afterEach(async () => {
    await engine?.close();
    await db?.drop();
    engine = undefined;
    db = undefined;
  });

  async function open(): Promise<Engine> {
    if (engineName === 'pglite') return (engine = await openEngine({ kind: 'pglite', memory: true }));
    db = await createTestDatabase('copy');
    return (engine = await openEngine({ kind: 'postgres', url: db.url }));
  }

  it('round-trips tricky values through copyOut and copyIn', async () => {
    const e = await open();
    await e.exec(`${TABLE}; ${SEED}; create table dst (like src)`);
    const data = await collect(e.copyOut('"public"."src" ("id", "t", "doc", "b", "at", "n", "tags", "nums")'));
    expect(data.toString()).toContain('tab\\there\\nnewline\\\\backslash\\r\\n');
    expect(data.toString()).toContain('\\N');
    expect(await e.copyIn('"public"."dst" ("id", "t", "doc", "b", "at", "n", "tags", "nums")', from(data.toString()))).toBe(4);
    const a = await e.query(SELECT_ALL.replace('%s', 'src'));
    const b = await e.query(SELECT_ALL.replace('%s', 'dst'));
    expect(b.rows).toEqual(a.rows);
    expect(a.rows[0]).toMatchObject({ t: 'tab\there\nnewline\\backslash\r\n', b: '00ff5c0a09', nums: [1, null, 3] });
    expect(a.rows[2]).toMatchObject({ t: 'żółć 日本語 🎉 \\N literally', n: 'NaN' });
  });

  it('copies out of a query and in from chunks split anywhere (mid-line, mid-character)', async () => {
    const e = await open();
    await e.exec('create table t (id int, s text)');
    const text = '1\tżółć\n2\t🎉 ok\n3\t\\N\n';
    const bytes = Buffer.from(text);
    async function* bytewise(): AsyncGenerator<Uint8Array> {
      for (let i = 0; i < bytes.length; i += 3) yield bytes.subarray(i, i + 3);
    }
    expect(await e.copyIn('t (id, s)', bytewise())).toBe(3);
    expect((await collect(e.copyOut('(select id, s from t order by id)'))).toString()).toBe(text);
    expect(await e.copyIn('t', from())).toBe(0); // no data: nothing copied
    expect((await collect(e.copyOut('(select 1 where false)'))).length).toBe(0);
  });

  it('copies inside a transaction on its session: sees uncommitted rows and the snapshot', async () => {
    const e = await open();
    await e.exec('create table t (id int primary key, s text); insert into t values (1, $$one$$)');
    const seen = await e.transaction(async (tx) => {
      await tx.exec('set transaction isolation level repeatable read');
      await tx.query(`insert into t values (2, 'two')`);
      expect(await tx.copyIn('t (id, s)', from('3\tthree\n'))).toBe(1);
      return (await collect(tx.copyOut('(select id, s from t order by id)'))).toString();
    });
    expect(seen).toBe('1\tone\n2\ttwo\n3\tthree\n');
    expect((await e.query('select count(*)::int as n from t')).rows).toEqual([{ n: 3 }]);
  });

  it('leaves nothing behind when the transaction throws after copyIn, or when the data source fails', async () => {
    const e = await open();
    await e.exec('create table t (id int primary key, s text)');
    const err = await e
      .transaction(async (tx) => {
        expect(await tx.copyIn('t', from('1\ta\n2\tb\n'))).toBe(2);
        expect((await tx.query('select count(*)::int as n from t')).rows).toEqual([{ n: 2 }]);
        throw new Error('changed my mind');
      })
      .catch((x: Error) => x);
    expect(err).toMatchObject({ message: 'changed my mind' });
    expect((await e.query('select count(*)::int as n from t')).rows).toEqual([{ n: 0 }]);

    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.from('1\ta\n');
      throw new Error('source broke');
    }
    const err2 = await e.transaction((tx) => tx.copyIn('t', failing())).catch((x: Error) => x);
    expect(err2).toMatchObject({ message: 'source broke' });
    expect(await e.copyIn('t', failing()).catch((x: Error) => x)).toMatchObject({ message: 'source broke' });
    expect((await e.query('select count(*)::int as n from t')).rows).toEqual([{ n: 0 }]);
  });

  it('rejects a bad COPY with a DbError and stays usable', async () => {
    const e = await open();
    await e.exec('create table t (id int primary key, s text)');
    const unknownOut = await collect(e.copyOut('t (id, nope)')).catch((x: unknown) => x);
    expect(unknownOut).toBeInstanceOf(DbError);
    expect(unknownOut).toMatchObject({ code: '42703' });
    const unknownIn = await e.copyIn('t (id, nope)', from('1\tx\n')).catch((x: unknown) => x);
    expect(unknownIn).toBeInstanceOf(DbError);
    expect(unknownIn).toMatchObject({ code: '42703' });
    const malformed = await e.copyIn('t', from('1\tok\n', 'two\tbad\n')).catch((x: unknown) => x);
    expect(malformed).toBeInstanceOf(DbError);
    expect(malformed).toMatchObject({ code: '22P02' });
    expect((malformed as DbError).message).toMatch(/integer/);
    const extra = await e.copyIn('t', from('1\ta\tb\n')).catch((x: unknown) => x);
    expect(extra).toMatchObject({ code: '22P04' });
    // inside a transaction: the COPY error aborts it, the transaction rolls back, the engine carries on
    const inTx = await e
      .transaction(async (tx) => {
        await tx.query(`insert into t values (9, 'nine')`);
        await tx.copyIn('t', from('x\n'));
      })
      .catch((x: unknown) => x);
    expect(inTx).toBeInstanceOf(DbError);
    expect((await e.query('select count(*)::int as n from t')).rows).toEqual([{ n: 0 }]);
    expect(await e.copyIn('t', from('1\tfine\n'))).toBe(1);
    expect((await collect(e.copyOut('t'))).toString()).toBe('1\tfine\n');
  });

  it('can stop reading a copyOut early and keep using the engine and the transaction', async () => {
    const e = await open();
    await e.exec(`create table t as select g as id, repeat('x', 200) as s from generate_series(1, 20000) g`);
    for await (const chunk of e.copyOut('t')) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    const n = await e.transaction(async (tx) => {
      for await (const chunk of tx.copyOut('t')) {
        expect(chunk.length).toBeGreaterThan(0);
        break;
      }
      return (await tx.query<{ n: number }>('select count(*)::int as n from t')).rows[0]?.n;
    });
    expect(n).toBe(20000);
  });
});

describe.runIf(pgAdminUrl())('COPY at scale and across engines', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function postgres(): Promise<Engine> {
    const db = await createTestDatabase('copy');
    const e = await openEngine({ kind: 'postgres', url: db.url });
    cleanup.push(
      () => db.drop(),
      () => e.close(),
    );
    return e;
  }
  async function pglite(): Promise<Engine> {
    const e = await openEngine({ kind: 'pglite', memory: true });
    cleanup.push(() => e.close());
    return e;
  }

  it('streams 200,000 rows out and back in on Postgres', async () => {
    const e = await postgres();
    await e.exec(
      `create table big as select g as id, md5(g::text) as s, now() as at from generate_series(1, 200000) g; create table big2 (like big)`,
    );
    // piped straight through: the copy out of one session feeds the copy into another
    const n = await e.copyIn('big2', e.copyOut('big'));
    expect(n).toBe(200000);
    const { rows } = await e.query(
      `select (select count(*)::int from big2) as n, (select count(*)::int from big2 join big using (id, s, at)) as same`,
    );
    expect(rows).toEqual([{ n: 200000, same: 200000 }]);
  });

  it('moves data from PGlite to Postgres and back', async () => {
    const lite = await pglite();
    const pg = await postgres();
    for (const e of [lite, pg]) await e.exec(`${TABLE}; create table dst (like src)`);
    await lite.exec(SEED);
    const cols = '"public"."src" ("id", "t", "doc", "b", "at", "n", "tags", "nums")';
    expect(await pg.copyIn(cols, lite.copyOut(cols))).toBe(4);
    expect(await lite.copyIn('dst', pg.copyOut('src'))).toBe(4);
    const q = SELECT_ALL.replace('%s', 'src');
    const original = (await lite.query(q)).rows;
    expect((await pg.query(q)).rows).toEqual(original);
    expect((await lite.query(SELECT_ALL.replace('%s', 'dst'))).rows).toEqual(original);
  });
});
