/**
 * Issue 12 (backup part): schema ACLs survive a round trip, and an --output the file system refuses (under a file,
 * unwritable, a name too long, /proc, a read-only or full disk) ends with a clear KeelError, a non-zero exit, no
 * stack trace, no endless loop, and nothing that looks like a complete backup.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { migrate, openEngine } from '../../src/index.js';
import { backup, restore } from '../../src/commands/backup.js';
import type { Engine } from '../../src/db/engine.js';
import { verifyBackup } from '../../src/features/backup/verify.js';
import { engineNames, pgAdminUrl } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget, databaseOf } from '../support/projects.js';
import { startCli, type CliResult } from '../support/cli.js';

type EngineName = 'pglite' | 'postgres';

async function open(root: string, target: TestTarget): Promise<Engine> {
  return openEngine(databaseOf(root, target));
}

async function exec(root: string, target: TestTarget, sql: string): Promise<void> {
  const engine = await open(root, target);
  try {
    await engine.exec(sql);
  } finally {
    await engine.close();
  }
}

/**
 * Each schema's ACL, normalised for the owner's name (the source's `public` belongs to pg_database_owner, a target's
 * after --clean to postgres): one `grantee=privilege[*]/grantor` per privilege, the owner spelled OWNER, sorted.
 */
async function schemaAcls(root: string, target: TestTarget, schemas: string[]): Promise<Record<string, string[]>> {
  const engine = await open(root, target);
  try {
    const { rows } = await engine.query<{ schema: string; acl: string[] | null }>(
      `select n.nspname::text as schema,
              (select array_agg(format('%s=%s%s/%s',
                        case a.grantee when 0 then 'PUBLIC' when n.nspowner then 'OWNER' else pg_get_userbyid(a.grantee)::text end,
                        a.privilege_type, case when a.is_grantable then '*' else '' end,
                        case a.grantor when n.nspowner then 'OWNER' else pg_get_userbyid(a.grantor)::text end))
                 from aclexplode(coalesce(n.nspacl, acldefault('n', n.nspowner))) a) as acl
         from pg_namespace n where n.nspname = any($1::text[]) order by 1`,
      [schemas],
    );
    return Object.fromEntries(rows.map((r) => [r.schema, [...(r.acl ?? [])].sort()]));
  } finally {
    await engine.close();
  }
}

const ROLE = `keel_acl_${process.pid}_${randomBytes(3).toString('hex')}`;
/** Roles are cluster-wide: on the test server the source made it for every database; a fresh PGlite needs its own. */
const CREATE_ROLE = `do $$ begin if not exists (select 1 from pg_roles where rolname = '${ROLE}') then create role ${ROLE} nologin; end if; end $$;`;

afterAll(async () => {
  const admin = pgAdminUrl();
  if (!admin) return;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`drop role if exists ${ROLE}`);
  } catch {
    // still granted in a database another file owns: the role is harmless (nologin)
  } finally {
    await client.end();
  }
});

/** The built CLI, killed (and the test failed) if it runs longer than `ms`: the /proc case used to loop forever. */
async function cli(args: string[], ms = 45_000): Promise<CliResult & { timedOut: boolean }> {
  const { child, done } = startCli(args);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, ms);
  const r = await done;
  clearTimeout(timer);
  return { ...r, timedOut };
}

/** Folders under `dir` (recursively) that hold a manifest.json which verifies: what would look like a backup. */
async function verifyingBackups(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    if (entries.some((e) => e.name === 'manifest.json')) out.push(d);
    for (const e of entries) if (e.isDirectory()) walk(path.join(d, e.name));
  };
  walk(dir);
  const ok: string[] = [];
  for (const d of out)
    if (
      await verifyBackup(d).then(
        () => true,
        () => false,
      )
    )
      ok.push(d);
  return ok;
}

/** Mounts a tmpfs at a new folder; null (with the reason) where this sandbox does not allow it. */
function mountTmpfs(options: string): { dir: string; unmount: () => void } | { skip: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    return {
      skip: `mount -t tmpfs -o ${options} is not permitted here: ${
        String((err as { stderr?: Buffer }).stderr ?? err)
          .trim()
          .split('\n')[0]
      }`,
    };
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

const isRoot = process.getuid?.() === 0;

describe.each(engineNames)('backup faults on %s', (engineName: EngineName) => {
  const targets: TestTarget[] = [];
  const unmounts: (() => void)[] = [];
  afterEach(async () => {
    for (const u of unmounts.splice(0)) u();
    for (const t of targets.splice(0)) await t.drop();
  });
  const fresh = async () => {
    const target = await targetFor(engineName);
    targets.push(target);
    return { root: makeProject().root, target };
  };
  const source = async (migration: string) => {
    const target = await targetFor(engineName);
    targets.push(target);
    const root = makeProject({ 'migrations/001_init.sql': migration }).root;
    await migrate({ cwd: root, ...target.options });
    return { root, target };
  };

  describe('schema ACLs', () => {
    it('`revoke all on schema public from public`: a restore into a fresh database does not give PUBLIC usage back', async () => {
      const src = await source(
        `revoke all on schema public from public;\ncreate table public.t (id int primary key);\ninsert into public.t values (1);`,
      );
      const before = await schemaAcls(src.root, src.target, ['public']);
      expect(before.public!.filter((a) => a.startsWith('PUBLIC='))).toEqual([]);
      const b = await backup({ cwd: src.root, ...src.target.options });
      const dst = await fresh();
      await restore(b.path, { cwd: dst.root, ...dst.target.options });
      expect(await schemaAcls(dst.root, dst.target, ['public'])).toEqual(before);
    });

    it('usage granted to a custom role, and grants on a schema the project made, come back as they were', async () => {
      const src = await source(
        `${CREATE_ROLE}
revoke all on schema public from public;
grant usage on schema public to ${ROLE};
revoke usage on schema public from anon;
create schema api;
grant usage on schema api to anon;
grant usage, create on schema api to ${ROLE} with grant option;
create table api.t (id int primary key);`,
      );
      const before = await schemaAcls(src.root, src.target, ['public', 'api']);
      expect(before.public).toContain(`${ROLE}=USAGE/OWNER`);
      expect(before.public!.some((a) => a.startsWith('PUBLIC=') || a.startsWith('anon='))).toBe(false);
      expect(before.api).toContain(`${ROLE}=CREATE*/OWNER`);
      const b = await backup({ cwd: src.root, ...src.target.options });
      const dst = await fresh();
      await exec(dst.root, dst.target, CREATE_ROLE); // as the target's supabase/roles/ files would
      await restore(b.path, { cwd: dst.root, ...dst.target.options });
      expect(await schemaAcls(dst.root, dst.target, ['public', 'api'])).toEqual(before);
    });

    it('--clean (which drops and recreates public) keeps the PUBLIC usage the source had', async () => {
      const src = await source(`create table public.t (id int primary key);`);
      const before = await schemaAcls(src.root, src.target, ['public']);
      const b = await backup({ cwd: src.root, ...src.target.options });
      const dst = await fresh();
      await restore(b.path, { cwd: dst.root, ...dst.target.options, clean: true });
      expect(await schemaAcls(dst.root, dst.target, ['public'])).toEqual(before);
    });
  });

  describe('--output the file system refuses', () => {
    /** A migrated project, the CLI arguments that reach its database, and a folder to play in. */
    const project = async () => {
      const src = await source(
        `create table public.t (id int primary key, v text);\ninsert into public.t select g, md5(g::text) from generate_series(1, 50) g;`,
      );
      const db = src.target.url ? ['--db-url', src.target.url] : [];
      const play = fs.mkdtempSync(path.join(os.tmpdir(), 'keel-out-'));
      unmounts.push(() => {
        fs.chmodSync(play, 0o700);
        for (const e of fs.readdirSync(play, { withFileTypes: true })) if (e.isDirectory()) fs.chmodSync(path.join(play, e.name), 0o700);
        fs.rmSync(play, { recursive: true, force: true });
      });
      return { ...src, db, play };
    };

    /** Runs `keel db backup --output out` (text and --json) and checks the failure is clean. */
    const refused = async (p: { root: string; db: string[] }, out: string, code: string, words: RegExp) => {
      const text = await cli(['db', 'backup', '--cwd', p.root, ...p.db, '--output', out]);
      expect(text.timedOut, 'the backup did not end within 45 s').toBe(false);
      expect(text.code).toBe(1);
      expect(text.stderr).toContain(out);
      expect(text.stderr).toMatch(words);
      expect(text.stderr).toMatch(/^hint: /m);
      expect(text.stderr).not.toMatch(/\n\s+at .+[:(]/); // no stack trace
      const json = await cli(['db', 'backup', '--cwd', p.root, ...p.db, '--output', out, '--json']);
      expect(json.timedOut).toBe(false);
      expect(json.code).toBe(1);
      const doc = JSON.parse(json.stdout) as { ok: boolean; error: { code: string; message: string; hint?: string } };
      expect(doc.ok).toBe(false);
      expect(doc.error.code).toBe(code);
      expect(doc.error.message).toContain(out);
      expect(doc.error.hint).toBeTruthy();
      expect(fs.existsSync(out)).toBe(false);
      return doc.error;
    };

    it('under an existing file (ENOTDIR)', async () => {
      const p = await project();
      fs.writeFileSync(path.join(p.play, 'a-file'), 'x');
      const out = path.join(p.play, 'a-file', 'b.keel');
      await refused(p, out, 'KEEL_BACKUP_OUTPUT', /a part of the path is a file, not a folder \(ENOTDIR\)/);
      expect(fs.readdirSync(p.play)).toEqual(['a-file']);
    });

    it('in a folder it may not write (EACCES, chmod 0500)', async (ctx) => {
      if (isRoot) ctx.skip('running as root: chmod 0500 does not stop root from writing, so there is no EACCES to see');
      const p = await project();
      const ro = path.join(p.play, 'ro');
      fs.mkdirSync(ro, { mode: 0o500 });
      const out = path.join(ro, 'b.keel');
      await refused(p, out, 'KEEL_BACKUP_OUTPUT', /permission denied \(EACCES/);
      expect(fs.readdirSync(ro)).toEqual([]);
    });

    it('a name too long (ENAMETOOLONG)', async () => {
      const p = await project();
      const out = path.join(p.play, `${'n'.repeat(300)}.keel`);
      await refused(p, out, 'KEEL_BACKUP_OUTPUT', /too long .*\(ENAMETOOLONG\)/);
      expect(fs.readdirSync(p.play)).toEqual([]);
    });

    it('/proc/x ends at once (it used to loop forever in a recursive mkdir)', async () => {
      const p = await project();
      const out = `/proc/keel-${process.pid}`;
      const started = Date.now();
      await refused(p, out, 'KEEL_BACKUP_OUTPUT', /\/proc exists but takes no new folders .*\(ENOENT/);
      expect(Date.now() - started).toBeLessThan(40_000);
    });

    it('under a symbolic link to nothing', async () => {
      const p = await project();
      fs.symlinkSync(path.join(p.play, 'gone'), path.join(p.play, 'link'));
      const out = path.join(p.play, 'link', 'b.keel');
      await refused(p, out, 'KEEL_BACKUP_OUTPUT', /symbolic link to a folder that does not exist/);
      expect(fs.readdirSync(p.play)).toEqual(['link']);
    });

    it('on a read-only file system (EROFS)', async (ctx) => {
      const m = mountTmpfs('ro,size=64k');
      if ('skip' in m) return ctx.skip(m.skip);
      unmounts.push(m.unmount);
      const p = await project();
      await refused(p, path.join(m.dir, 'b.keel'), 'KEEL_BACKUP_OUTPUT', /read-only \(EROFS/);
    });

    it('a disk that fills up while the data is written (ENOSPC): no folder left, no manifest that verifies', async (ctx) => {
      const m = mountTmpfs('size=64k');
      if ('skip' in m) return ctx.skip(m.skip);
      unmounts.push(m.unmount);
      const p = await project();
      // ~500 kB of hex digits: about half of it after gzip, far more than the 64 kB disk.
      await exec(p.root, p.target, `insert into public.t select g, repeat(md5(random()::text), 4) from generate_series(1000, 5000) g`);
      const out = path.join(m.dir, 'b.keel');
      const err = await refused(p, out, 'KEEL_BACKUP_WRITE', /no space left on the device \(ENOSPC/);
      expect(err.message).toMatch(/\(ENOSPC, at .*\.copy\.gz\)/);
      expect(err.message).toContain('nothing that looks like a complete backup was left');
      expect(fs.readdirSync(m.dir)).toEqual([]);
      expect(await verifyingBackups(m.dir)).toEqual([]);
    });

    it('a disk that fills up just as the manifest is written (ENOSPC): no manifest that verifies', async (ctx) => {
      const p = await project();
      // The same backup on an ordinary disk first, to size a tmpfs that holds exactly schema.sql and the data files.
      const probe = await backup({ cwd: p.root, ...p.target.options, output: path.join(p.play, 'probe.keel'), history: false });
      const page = 4096;
      const files = [probe.manifest.schemaSql!.bytes, ...probe.manifest.tables.map((t) => t.bytes)];
      const size = files.reduce((n, b) => n + Math.ceil(b / page) * page, 0);
      const m = mountTmpfs(`size=${size}`);
      if ('skip' in m) return ctx.skip(m.skip);
      unmounts.push(m.unmount);
      const out = path.join(m.dir, 'b.keel');
      const r = await cli(['db', 'backup', '--cwd', p.root, ...p.db, '--output', out, '--json']);
      expect(r.timedOut).toBe(false);
      const doc = JSON.parse(r.stdout) as { ok: boolean; error?: { code: string; message: string } };
      expect(doc.ok).toBe(false);
      expect(doc.error).toMatchObject({ code: 'KEEL_BACKUP_WRITE' });
      expect(doc.error!.message).toMatch(/no space left on the device \(ENOSPC, at .*manifest\.json\)/);
      expect(r.code).toBe(1);
      expect(fs.existsSync(out)).toBe(false);
      expect(await verifyingBackups(m.dir)).toEqual([]);
      expect(fs.readdirSync(m.dir)).toEqual([]);
    });

    it('a 250-byte name fits even though `.partial-<pid>` after it would not: the backup is written and restores', async () => {
      const p = await project();
      const out = path.join(p.play, `${'m'.repeat(245)}.keel`);
      const b = await backup({ cwd: p.root, ...p.target.options, output: out, history: false });
      expect(b.path).toBe(out);
      expect(fs.readdirSync(p.play)).toEqual([path.basename(out)]);
      const dst = await fresh();
      const r = await restore(out, { cwd: dst.root, ...dst.target.options });
      expect(r.rows).toBe(b.rows);
    });
  });
});
