/**
 * The warm embedded engine: an engine host process owns a project's PGlite data dir and serves CLI processes and
 * library callers over its socket. Real PGlite, real processes; the CLI runs from dist/ (npm test builds it).
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../src/db/pglite/engine.js';
import { engineHostStatus, hostLog, startEngineHost, stateFile, stopEngineHost } from '../../src/db/pglite/host/index.js';
import type { Engine } from '../../src/db/engine.js';
import { DbError } from '../../src/core/errors.js';
import { HostConnection } from '../../src/db/pglite/host/connection.js';
import type { PingReply } from '../../src/db/pglite/host/messages.js';
import { runCli, startCli } from '../support/cli.js';
import { makeProject, type TempProject } from '../support/projects.js';

const started = new Set<string>();
afterAll(async () => {
  for (const dir of started) await stopEngineHost(dir).catch(() => undefined);
});

const dataDirOf = (p: TempProject) => path.join(p.root, 'supabase', '.keel', 'pglite');

async function host(p: TempProject, idleMs?: number) {
  const dir = dataDirOf(p);
  started.add(dir);
  return startEngineHost(dir, { idleMs });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const MIGRATIONS = {
  'migrations/001_notes.sql': 'create table public.notes (id int primary key, body text);',
  'seed/001_notes.sql': "insert into public.notes values (1, 'seeded');",
};

describe('engine host', () => {
  const p = makeProject(MIGRATIONS);
  const dir = dataDirOf(p);

  it('serves status, migrate and reset run as separate CLI processes; the lock names it; a failed reset keeps the data', async () => {
    const s = await host(p);
    expect(alive(s.pid)).toBe(true);
    expect(fs.readFileSync(`${dir}.lock`, 'utf8')).toContain(`engine host, serving clients on ${s.socket}`);

    // each of these would be refused by the host's lock if it opened PGlite itself
    const before = await runCli(['status', '--json'], { cwd: p.root });
    expect(before.stderr, before.stdout).toBe('');
    expect(before.code, before.stdout).toBe(0);
    expect(JSON.parse(before.stdout)).toMatchObject({ ok: true, applied: 0, pending: 1 });
    const m = await runCli(['db', 'migrate', '--json'], { cwd: p.root });
    expect(m.code, m.stderr).toBe(0);
    expect(JSON.parse((await runCli(['status', '--json'], { cwd: p.root })).stdout)).toMatchObject({ applied: 1, pending: 0 });

    p.write('migrations/002_more.sql', 'alter table public.notes add column at timestamptz default now();');
    const r = await runCli(['db', 'reset', '--yes', '--json'], { cwd: p.root });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: true, replaced: true });

    const e = await openPglite({ dataDir: dir });
    try {
      expect(e.target).toBe(`pglite:${path.resolve(dir)}`);
      expect((await e.query('select id, body from public.notes')).rows).toEqual([{ id: 1, body: 'seeded' }]);
      await e.exec("insert into public.notes values (2, 'kept')");
    } finally {
      await e.close();
    }

    // a reset that fails leaves the previous database, and the host serves it on
    p.write('migrations/003_bad.sql', 'create table public.broken (id int references public.nowhere (id));');
    const bad = await runCli(['db', 'reset', '--yes', '--json'], { cwd: p.root });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false });
    p.remove('migrations/003_bad.sql');
    const after = await openPglite({ dataDir: dir });
    try {
      expect((await after.query('select id from public.notes order by id')).rows).toEqual([{ id: 1 }, { id: 2 }]);
    } finally {
      await after.close();
    }
    expect(fs.readdirSync(path.dirname(dir)).filter((n) => n.includes('.reset-') || n.includes('.old-'))).toEqual([]);
    expect((await engineHostStatus(dir))?.pid).toBe(s.pid);
  });

  it('gives the session to one client at a time, first come first served; uncommitted rows are never seen', async () => {
    await host(p);
    const engines: Engine[] = [];
    const open = async () => {
      const e = await openPglite({ dataDir: dir });
      engines.push(e);
      return e;
    };
    try {
      const [a, b, c, d] = [await open(), await open(), await open(), await open()];
      expect(a.constructor.name).toBe('HostEngine');
      await a.exec('create table if not exists public.fifo (who text, n int)');
      let releaseA!: () => void;
      const aHolds = new Promise<void>((resolve) => (releaseA = resolve));
      let aInside!: () => void;
      const aIn = new Promise<void>((resolve) => (aInside = resolve));
      const order: string[] = [];
      const ta = a
        .transaction(async (tx) => {
          await tx.exec("insert into public.fifo values ('a', 1)");
          aInside();
          await aHolds;
          throw new Error('a gives up');
        })
        .catch((e: Error) => e.message);
      await aIn;
      // b reads while a's row is uncommitted: b waits for the session, then sees nothing of a's
      const bRead = b.query<{ n: number }>('select count(*)::int as n from public.fifo').then((r) => {
        order.push('b');
        return r.rows[0]!.n;
      });
      await sleep(50);
      const tc = c.transaction(async (tx) => {
        order.push('c');
        await tx.exec("insert into public.fifo values ('c', 1)");
        await sleep(100);
        await tx.exec("insert into public.fifo values ('c', 2)");
      });
      await sleep(50);
      const td = d.transaction(async (tx) => {
        order.push('d');
        // c committed both its rows before d got the session: nothing of c's interleaves with d
        return (await tx.query<{ n: number }>("select count(*)::int as n from public.fifo where who = 'c'")).rows[0]!.n;
      });
      await sleep(200);
      expect(order).toEqual([]); // all three wait while a holds the session
      releaseA();
      expect(await ta).toBe('a gives up');
      expect(await bRead).toBe(0);
      await tc;
      expect(await td).toBe(2);
      expect(order).toEqual(['b', 'c', 'd']);
    } finally {
      for (const e of engines) await e.close();
    }
  });

  it('carries COPY data, bytea, dumps and Postgres error fields over the socket', async () => {
    await host(p);
    const e = await openPglite({ dataDir: dir });
    try {
      expect(e.constructor.name).toBe('HostEngine');
      await e.exec('create table if not exists public.blobs (id int, b bytea)');
      async function* data() {
        yield new TextEncoder().encode('1\t\\\\x0001ff\n');
        yield new TextEncoder().encode('2\t\\\\x\n');
      }
      expect(await e.copyIn('public.blobs (id, b)', data())).toBe(2);
      await e.query('insert into public.blobs values ($1, $2)', [3, new Uint8Array([7, 8])]);
      const { rows } = await e.query<{ id: number; b: Uint8Array }>('select id, b from public.blobs order by id');
      expect(rows.map((r) => [r.id, Buffer.from(r.b).toString('hex')])).toEqual([
        [1, '0001ff'],
        [2, ''],
        [3, '0708'],
      ]);
      const out: Uint8Array[] = [];
      for await (const chunk of e.copyOut('(select id from public.blobs order by id)')) out.push(chunk);
      expect(Buffer.concat(out).toString()).toBe('1\n2\n3\n');
      const dump = await e.dumpDataDir();
      expect([dump[0], dump[1]]).toEqual([0x1f, 0x8b]); // gzip
      const err = await e.query('select * from public.blobs where').catch((x: unknown) => x);
      expect(err).toBeInstanceOf(DbError);
      expect(err).toMatchObject({ code: '42601', position: 33 });
      await e.exec('drop table public.blobs');
    } finally {
      await e.close();
    }
  });

  it('rolls back a client killed with SIGKILL inside a transaction; the next client gets a fresh session', async () => {
    await host(p);
    const script = path.join(p.root, 'killed-client.mjs');
    const engineJs = path.resolve('dist/db/pglite/engine.js');
    fs.writeFileSync(
      script,
      `import { openPglite } from ${JSON.stringify(engineJs)};
const e = await openPglite({ dataDir: ${JSON.stringify(dir)} });
await e.exec("create table if not exists public.killed (n int)");
await e.exec("set app.leak = 'yes'");
await e.transaction(async (tx) => {
  await tx.exec("insert into public.killed values (1)");
  process.stdout.write('inside\\n');
  await new Promise(() => undefined);
});`,
    );
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('inside') && resolve());
      child.once('exit', (code) => reject(new Error(`the client exited (${code}) before its transaction: ${err}`)));
    });
    const next = await openPglite({ dataDir: dir });
    try {
      const waiting = next.query<{ n: number }>('select count(*)::int as n from public.killed');
      child.kill('SIGKILL');
      expect((await waiting).rows[0]!.n).toBe(0);
      const { rows } = await next.query<{ leak: string | null; tx: string | null }>(
        `select current_setting('app.leak', true) as leak, txid_current_if_assigned()::text as tx`,
      );
      expect(rows[0]!.leak ?? '').toBe('');
      expect(rows[0]!.tx).toBeNull();
      await next.transaction((tx) => tx.exec('insert into public.killed values (2)'));
      expect((await next.query('select n from public.killed')).rows).toEqual([{ n: 2 }]);
    } finally {
      await next.close();
    }
  });

  it('registers an extension a client needs that the host lacks (citext in a migration)', async () => {
    await host(p);
    p.write(
      'migrations/004_citext.sql',
      "create extension if not exists citext; create table public.tags (t citext); insert into public.tags values ('Abc');",
    );
    const m = await runCli(['db', 'migrate', '--json'], { cwd: p.root });
    expect(m.code, m.stderr).toBe(0);
    const e = await openPglite({ dataDir: dir });
    try {
      expect((await e.query(`select count(*)::int as n from public.tags where t = 'ABC'`)).rows).toEqual([{ n: 1 }]);
    } finally {
      await e.close();
    }
    expect(fs.readFileSync(hostLog(dir), 'utf8')).toMatch(/registering extensions .*citext/);
  });

  it('puts the previous data dir back when a reset through it is killed mid-build', async () => {
    await host(p);
    const rowsNow = async () => {
      const e = await openPglite({ dataDir: dir });
      try {
        return (await e.query('select id from public.notes order by id')).rows;
      } finally {
        await e.close();
      }
    };
    expect(await rowsNow()).toEqual([{ id: 1 }, { id: 2 }]);
    p.write('migrations/005_slow.sql', 'select pg_sleep(2);');
    const { child, done } = startCli(['db', 'reset', '--yes'], { cwd: p.root });
    const conn = await HostConnection.connect(JSON.parse(fs.readFileSync(stateFile(dir), 'utf8')).socket);
    try {
      let serving: string | null = dir;
      for (let i = 0; i < 400 && (serving === dir || serving === null); i++) {
        serving = (await conn.call<PingReply>({ op: 'ping' })).serving;
        await sleep(25);
      }
      expect(serving).not.toBe(dir); // the host runs the build
      await sleep(300);
      child.kill('SIGKILL');
      await done;
    } finally {
      conn.close();
    }
    p.remove('migrations/005_slow.sql');
    expect(await rowsNow()).toEqual([{ id: 1 }, { id: 2 }]);
    expect(fs.readdirSync(path.dirname(dir)).filter((n) => n.includes('.reset-') || n.includes('.old-'))).toEqual([]);
  });

  it('takes resets back to back, each starting while the host still reopens after the previous one', async () => {
    await host(p);
    for (let i = 0; i < 3; i++) {
      const r = await runCli(['db', 'reset', '--yes', '--json'], { cwd: p.root });
      expect(r.code, `reset ${i + 1}: ${r.stdout}${r.stderr}`).toBe(0);
    }
    const e = await openPglite({ dataDir: dir });
    try {
      expect((await e.query('select id, body from public.notes')).rows).toEqual([{ id: 1, body: 'seeded' }]);
      await e.exec("insert into public.notes values (2, 'kept')");
    } finally {
      await e.close();
    }
    const standbys = fs.readdirSync(path.dirname(dir)).filter((n) => n.includes('.standby-'));
    expect(standbys.filter((n) => !n.endsWith('.json')).length).toBeLessThanOrEqual(1);
  });

  it('stop closes PGlite and removes its socket and state file; commands then open the data dir themselves', async () => {
    const s = await host(p);
    expect(await stopEngineHost(dir)).toBe(true);
    expect(alive(s.pid)).toBe(false);
    expect(fs.existsSync(s.socket)).toBe(false);
    expect(fs.existsSync(stateFile(dir))).toBe(false);
    expect(fs.existsSync(`${dir}.lock`)).toBe(false);
    expect(fs.readdirSync(path.dirname(dir)).filter((n) => n.includes('.standby'))).toEqual([]);
    expect(await engineHostStatus(dir)).toBeNull();
    expect(await stopEngineHost(dir)).toBe(false);
    const e = await openPglite({ dataDir: dir });
    try {
      expect(e.constructor.name).toBe('PgliteEngine');
      expect((await e.query('select count(*)::int as n from public.notes')).rows).toEqual([{ n: 2 }]);
    } finally {
      await e.close();
    }
  });
});

describe('engine host life cycle', () => {
  it('replaces a stale state file whose process is dead', async () => {
    const p = makeProject(MIGRATIONS);
    const dir = dataDirOf(p);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const stale = {
      pid: Number(dead),
      socket: path.join(p.root, 'gone.sock'),
      version: '0.0.0',
      protocol: 1,
      startedAt: new Date(0).toISOString(),
    };
    fs.writeFileSync(stateFile(dir), JSON.stringify({ ...stale, dataDir: dir, idleMs: 1 }));
    expect(await engineHostStatus(dir)).toBeNull();
    const s = await host(p);
    expect(s.pid).not.toBe(stale.pid);
    expect(JSON.parse(fs.readFileSync(stateFile(dir), 'utf8'))).toMatchObject({ pid: s.pid, socket: s.socket });
    const st = await runCli(['status', '--json'], { cwd: p.root });
    expect(JSON.parse(st.stdout)).toMatchObject({ ok: true, pending: 1 });
  });

  it('a standby left by a host that was killed is removed by the next command that opens the data dir; a live one stays', async () => {
    const p = makeProject(MIGRATIONS);
    const dir = dataDirOf(p);
    expect((await runCli(['db', 'migrate'], { cwd: p.root })).code).toBe(0);
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
    const leftover = `${dir}.standby-${dead}-1`;
    const live = `${dir}.standby-${process.pid}-1`; // this process stands in for a running host
    for (const d of [leftover, live]) {
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, 'PG_VERSION'), '17\n');
      fs.writeFileSync(`${d}.extensions.json`, '[]');
    }
    const st = await runCli(['status', '--json'], { cwd: p.root });
    expect(JSON.parse(st.stdout)).toMatchObject({ ok: true, applied: 1 });
    expect([fs.existsSync(leftover), fs.existsSync(`${leftover}.extensions.json`)]).toEqual([false, false]);
    expect([fs.existsSync(live), fs.existsSync(`${live}.extensions.json`)]).toEqual([true, true]);
    fs.rmSync(live, { recursive: true });
    fs.rmSync(`${live}.extensions.json`);
  });

  it('exits by itself after the idle timeout with no client connected, cleaning up', async () => {
    const p = makeProject(MIGRATIONS);
    const dir = dataDirOf(p);
    const s = await host(p, 1_500);
    const e = await openPglite({ dataDir: dir });
    await sleep(2_000);
    expect(alive(s.pid)).toBe(true); // a connected client keeps it
    await e.close();
    for (let i = 0; i < 200 && alive(s.pid); i++) await sleep(50);
    expect(alive(s.pid)).toBe(false);
    expect(fs.existsSync(stateFile(dir))).toBe(false);
    expect(fs.existsSync(s.socket)).toBe(false);
    expect(fs.readFileSync(hostLog(dir), 'utf8')).toContain('no client for');
  });

  it('starts by itself with KEEL_ENGINE_HOST=auto, and not without it', async () => {
    const p = makeProject(MIGRATIONS);
    const dir = dataDirOf(p);
    started.add(dir);
    const cold = await runCli(['db', 'migrate', '--json'], { cwd: p.root });
    expect(cold.code, cold.stderr).toBe(0);
    expect(fs.existsSync(stateFile(dir))).toBe(false);
    const warm = await runCli(['status', '--json'], { cwd: p.root, env: { KEEL_ENGINE_HOST: 'auto', KEEL_ENGINE_IDLE_MS: '60000' } });
    expect(JSON.parse(warm.stdout)).toMatchObject({ ok: true, applied: 1, pending: 0 });
    const s = await engineHostStatus(dir);
    expect(s).not.toBeNull();
    expect(alive(s!.pid)).toBe(true);
    const again = await runCli(['db', 'reset', '--yes', '--json'], { cwd: p.root, env: { KEEL_ENGINE_HOST: 'auto' } });
    expect(again.code, again.stderr).toBe(0);
    expect((await engineHostStatus(dir))?.pid).toBe(s!.pid);
    expect(fs.readdirSync(path.dirname(dir)).filter((n) => n.endsWith('.host.json'))).toEqual(['pglite.host.json']);
  });

  it('starts by itself with keel.toml [db] keep_warm = true; KEEL_ENGINE_HOST=off overrides it', async () => {
    const p = makeProject({ ...MIGRATIONS, 'keel.toml': '[db]\nkeep_warm = true\n' });
    const dir = dataDirOf(p);
    started.add(dir);
    const off = await runCli(['db', 'migrate', '--json'], { cwd: p.root, env: { KEEL_ENGINE_HOST: 'off' } });
    expect(off.code, off.stderr).toBe(0);
    expect(fs.existsSync(stateFile(dir))).toBe(false);
    const warm = await runCli(['status', '--json'], { cwd: p.root, env: { KEEL_ENGINE_IDLE_MS: '60000' } });
    expect(JSON.parse(warm.stdout)).toMatchObject({ ok: true, applied: 1, pending: 0 });
    expect(await engineHostStatus(dir)).not.toBeNull();
  });
});
