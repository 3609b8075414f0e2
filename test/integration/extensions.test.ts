import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelError, migrate, openEngine, type Engine } from '../../src/index.js';
import { engineNames } from '../support/postgres.js';
import { makeProject, targetFor, type TestTarget } from '../support/projects.js';

/** A project pulled from a hosted Supabase project creates the platform's extensions; these lines are the usual shapes. */
const PLATFORM = {
  'migrations/20240101000000_extensions.sql': `create extension if not exists pg_cron with schema extensions;
create extension if not exists pg_net with schema extensions;
create extension if not exists http with schema extensions;
create extension if not exists pgjwt with schema extensions;
create extension if not exists pg_graphql;
create extension if not exists pgmq;
create extension if not exists pgsodium;
create extension if not exists citext;
comment on extension pg_net is 'Async HTTP';`,
  // as \`supabase db diff\` writes them: drop, then create again; a real extension on the same drop line
  'migrations/20240102000000_again.sql': `drop extension if exists "pg_net";
drop extension if exists citext, pgsodium, not_here;
create extension if not exists pg_net with schema extensions;
create extension if not exists pg_cron with schema extensions;
create extension if not exists pg_cron with schema extensions;`,
  'migrations/20240103000000_jobs.sql': `select cron.schedule('nightly', '0 3 * * *', $$delete from public.events$$);
select cron.schedule('nightly', '0 4 * * *', $$delete from public.events$$);
select cron.schedule('*/5 * * * *', $$select 1$$);
select pgmq.create('jobs');
create table public.events (id bigint generated always as identity primary key, body jsonb);
create function public.notify() returns trigger language plpgsql as $$
begin
  perform net.http_post('https://hooks.example.com/events', jsonb_build_object('id', new.id), '{"a": "b c"}'::jsonb);
  return new;
end $$;
create trigger events_notify after insert on public.events for each row execute function public.notify();`,
  'seed.sql': `insert into public.events (body) values ('{"hello": "world"}');`,
};

async function caught(p: Promise<unknown>): Promise<KeelError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof KeelError) return err;
    throw err;
  }
  throw new Error('expected a KeelError');
}

function engineFor(cwd: string, t: TestTarget): Promise<Engine> {
  return openEngine(t.url ? { kind: 'postgres', url: t.url } : { kind: 'pglite', dataDir: `${cwd}/supabase/.keel/pglite` });
}

describe.each(engineNames)('platform extensions on %s', (engineName) => {
  let target: TestTarget;
  let engine: Engine;
  let warnings: string[];
  let cronIsReal = false;
  const p = makeProject(PLATFORM);

  beforeAll(async () => {
    target = await targetFor(engineName);
    const r = await migrate({ cwd: p.root, ...target.options });
    expect(r.migrations.map((m) => m.status)).toEqual(['applied', 'applied', 'applied']);
    warnings = r.warnings;
    const { seed } = await import('../../src/index.js');
    await seed({ cwd: p.root, ...target.options });
    engine = await engineFor(p.root, target);
    cronIsReal = (await engine.query(`select 1 from pg_extension where extname = 'pg_cron'`)).rows.length > 0;
  }, 120_000);
  afterAll(async () => {
    await engine?.close();
    await target?.drop();
  });

  it('announces each stand-in once per command, saying what it does', () => {
    const about = (name: string) => warnings.filter((w) => w.startsWith(`stand-in for ${name}:`));
    expect(about('pg_cron')).toHaveLength(1); // created once, then three IF NOT EXISTS lines in two files
    expect(about('pg_cron')[0]).toMatch(/records jobs in cron\.job, runs nothing/);
    expect(about('pg_net')).toHaveLength(1);
    expect(about('http')).toHaveLength(1);
    expect(warnings.filter((w) => w.startsWith('pgjwt:'))).toHaveLength(1);
    expect(warnings.filter((w) => w.startsWith('pgmq:'))).toHaveLength(1);
  });

  it('says why a server that has pg_cron installed still gets the stand-in (not loaded, or another database)', async () => {
    if (engineName !== 'postgres' || cronIsReal) return;
    const available = (await engine.query(`select 1 from pg_available_extensions where name = 'pg_cron'`)).rows.length > 0;
    const note = warnings.find((w) => w.startsWith('stand-in for pg_cron:'))!;
    if (available)
      expect(note).toMatch(
        /this server has no pg_cron: installed on the server, but (the server does not load it \(shared_preload_libraries = '[^']*'\)|pg_cron lives in database)/,
      );
    else expect(note).toMatch(/\(this server has no pg_cron\)$/);
  });

  it('records what it stood in for in keel.stand_ins, in the schema the line named', async () => {
    const { rows } = await engine.query<{ extension: string; schema: string; kind: string }>(
      `select extension, schema, kind from keel.stand_ins order by 1`,
    );
    expect(rows).toEqual([
      { extension: 'http', schema: 'extensions', kind: 'stand-in' },
      { extension: 'pg_cron', schema: 'cron', kind: 'stand-in' },
      { extension: 'pg_graphql', schema: 'graphql', kind: 'stand-in' },
      { extension: 'pg_net', schema: 'net', kind: 'stand-in' },
      { extension: 'pgjwt', schema: 'extensions', kind: 'keel-sql' },
      { extension: 'pgmq', schema: 'pgmq', kind: 'keel-sql' },
    ]);
    // pgsodium's record went with its drop line (its schema stays: the shim may own it); citext dropped by Postgres
    expect((await engine.query(`select to_regtype('citext') is null as gone`)).rows).toEqual([{ gone: true }]);
    const fn = await engine.query<{ schema: string }>(
      `select pronamespace::regnamespace::text as schema from pg_proc where proname = 'http_get' limit 1`,
    );
    expect(fn.rows[0]?.schema).toBe('extensions');
  });

  it('pg_cron stand-in: schedule by name updates the job in place, unnamed jobs add one, unschedule removes, bad schedules fail', async () => {
    const { rows } = await engine.query<{ jobname: string | null; schedule: string; active: boolean }>(
      `select jobname, schedule, active from cron.job order by jobid`,
    );
    expect(rows).toEqual([
      { jobname: 'nightly', schedule: '0 4 * * *', active: true },
      { jobname: null, schedule: '*/5 * * * *', active: true },
    ]);
    const undo = new Error('undo');
    const inTx = engine.transaction(async (tx) => {
      const id = (await tx.query<{ id: string }>(`select cron.schedule('x', '@daily', 'select 2')::text as id`)).rows[0]!.id;
      await tx.query(`select cron.alter_job($1::bigint, active := false)`, [id]);
      expect((await tx.query(`select active from cron.job where jobid = $1::bigint`, [id])).rows).toEqual([{ active: false }]);
      expect((await tx.query(`select cron.unschedule('x') as ok`)).rows).toEqual([{ ok: true }]);
      expect((await tx.query(`select count(*)::int as n from cron.job_run_details`)).rows).toEqual([{ n: 0 }]);
      throw undo; // leave the jobs as the migrations made them
    });
    await expect(inTx).rejects.toBe(undo);
    await expect(engine.query(`select cron.schedule('bad', 'every day', 'select 1')`)).rejects.toThrow(/invalid schedule/);
    await expect(engine.query(`select cron.unschedule('no such job')`)).rejects.toThrow(/could not find valid entry/);
  });

  it('pg_net stand-in: the trigger call is recorded with its url, params and JSON body, and never answered', async () => {
    const { rows } = await engine.query<{
      id: string;
      method: string;
      url: string;
      body: string;
      headers: Record<string, string>;
      t: number;
    }>(`select id::text, method, url, convert_from(body, 'UTF8') as body, headers, timeout_milliseconds as t from net.http_request_queue`);
    expect(rows).toEqual([
      {
        id: rows[0]!.id,
        method: 'POST',
        url: 'https://hooks.example.com/events?a=b%20c',
        body: '{"id": 1}',
        headers: { 'Content-Type': 'application/json' },
        t: 5000,
      },
    ]);
    const res = await engine.query<{ status: string; message: string }>(
      `select (r).status::text, (r).message from (select net._http_collect_response($1::bigint) as r) s`,
      [rows[0]!.id],
    );
    expect(res.rows[0]!.status).toBe('PENDING');
    const get = await engine.query<{ id: string }>(`select net.http_get('https://example.com', headers := '{"x": "1"}')::text as id`);
    expect(Number(get.rows[0]!.id)).toBeGreaterThan(Number(rows[0]!.id));
    await expect(
      engine.query(`select net.http_post('https://example.com', '{}'::jsonb, headers := '{"Content-Type": "text/plain"}')`),
    ).rejects.toThrow(/Content-Type header must be "application\/json"/);
    expect((await engine.query(`select count(*)::int as n from net._http_response`)).rows).toEqual([{ n: 0 }]);
  });

  it('http stand-in: a call is recorded and answered 503 "not sent", never a made-up success', async () => {
    const { rows } = await engine.query<{ status: number; content: string }>(
      `select status, content from extensions.http_get('https://api.example.com/x')`,
    );
    expect(rows[0]!.status).toBe(503);
    expect(rows[0]!.content).toMatch(/not sent/);
    const req = await engine.query<{ status: number }>(
      `select (extensions.http(('POST', 'https://api.example.com/y', array[extensions.http_header('a', 'b')], 'application/json', '{}')::extensions.http_request)).status`,
    );
    expect(req.rows[0]!.status).toBe(503);
    const log = await engine.query(`select method, uri, content_type from keel.http_requests order by id`);
    expect(log.rows).toEqual([
      { method: 'GET', uri: 'https://api.example.com/x', content_type: null },
      { method: 'POST', uri: 'https://api.example.com/y', content_type: 'application/json' },
    ]);
  });

  it('pgjwt: sign then verify round-trips; a wrong secret, a tampered payload or an expired token is not valid', async () => {
    const q = async (sql: string, params: unknown[] = []) => (await engine.query<Record<string, unknown>>(sql, params)).rows[0]!;
    const { token } = await q(`select extensions.sign('{"sub": "u1", "role": "authenticated"}'::json, 'secret') as token`);
    expect(String(token).split('.')).toHaveLength(3);
    // the header pgjwt writes, in base64url without padding
    expect(String(token).split('.')[0]).toBe(Buffer.from('{"alg":"HS256","typ":"JWT"}').toString('base64url'));
    const ok = await q(`select header::text, payload->>'sub' as sub, valid from extensions.verify($1, 'secret')`, [token]);
    expect(ok).toEqual({ header: '{"alg":"HS256","typ":"JWT"}', sub: 'u1', valid: true });
    expect((await q(`select valid from extensions.verify($1, 'other')`, [token])).valid).toBe(false);
    const [h, , s] = String(token).split('.');
    const tampered = `${h}.${Buffer.from('{"sub":"admin"}').toString('base64url')}.${s}`;
    expect((await q(`select valid from extensions.verify($1, 'secret')`, [tampered])).valid).toBe(false);
    const expired = await q(`select valid from extensions.verify(extensions.sign('{"exp": 1000}'::json, 'k', 'HS512'), 'k', 'HS512')`);
    expect(expired.valid).toBe(false);
    // a signature Node computes the same way verifies (HS384)
    const { createHmac } = await import('node:crypto');
    const body = `${Buffer.from('{"alg":"HS384","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"n":1}').toString('base64url')}`;
    const node = `${body}.${createHmac('sha384', 'k2').update(body).digest('base64url')}`;
    expect(await q(`select valid, payload->>'n' as n from extensions.verify($1, 'k2', 'HS384')`, [node])).toEqual({ valid: true, n: '1' });
    await expect(engine.query(`select extensions.sign('{}'::json, 'k', 'RS256')`)).rejects.toThrow(/unsupported JWT algorithm "RS256"/);
  });

  it("pgmq (Keel's subset): send, read hides a message for its visibility timeout, archive, pop, delete, purge", async () => {
    const q = async (sql: string) => (await engine.query<Record<string, unknown>>(sql)).rows;
    expect(await q(`select queue_name from pgmq.list_queues()`)).toEqual([{ queue_name: 'jobs' }]);
    const ids = (await q(`select * from pgmq.send_batch('jobs', array['{"n":1}', '{"n":2}', '{"n":3}']::jsonb[])`)).map((r) =>
      Number(r.send_batch),
    );
    expect(ids).toHaveLength(3);
    const first = await q(`select msg_id, read_ct, message from pgmq.read('jobs', 30, 1)`);
    expect(first).toEqual([{ msg_id: String(ids[0]), read_ct: 1, message: { n: 1 } }]);
    expect(await q(`select pgmq.format_table_name('Jobs', 'q') as t`)).toEqual([{ t: 'q_jobs' }]);
    // the first is invisible for 30 s: the next read gets the second
    expect((await q(`select message from pgmq.read('jobs', 30, 5)`)).map((r) => r.message)).toEqual([{ n: 2 }, { n: 3 }]);
    expect(await q(`select pgmq.archive('jobs', ${ids[0]}::bigint) as ok`)).toEqual([{ ok: true }]);
    expect(await q(`select message from pgmq.a_jobs`)).toEqual([{ message: { n: 1 } }]);
    await q(`select pgmq.set_vt('jobs', ${ids[1]}::bigint, 0)`);
    expect(await q(`select message from pgmq.pop('jobs')`)).toEqual([{ message: { n: 2 } }]);
    expect(await q(`select pgmq.delete('jobs', ${ids[2]}::bigint) as ok`)).toEqual([{ ok: true }]);
    expect(await q(`select pgmq.delete('jobs', ${ids[2]}::bigint) as ok`)).toEqual([{ ok: false }]);
    // pgmq 1.5: headers, and a delay in seconds
    await q(`select pgmq.send('jobs', '{"n":4}', '{"h":1}'::jsonb, 60)`);
    expect(await q(`select headers from pgmq.q_jobs`)).toEqual([{ headers: { h: 1 } }]);
    expect(await q(`select count(*)::int as n from pgmq.read('jobs', 30, 5)`)).toEqual([{ n: 0 }]); // delayed 60 s
    expect(await q(`select count(*)::int as n from pgmq.read_with_poll('jobs', 30, 5, 1, 50)`)).toEqual([{ n: 0 }]); // polls 1 s, nothing visible
    expect(await q(`select pgmq.purge_queue('jobs') as n`)).toEqual([{ n: '1' }]);
    await q(`select pgmq.send('jobs', '{"kind":"a"}'), pgmq.send('jobs', '{"kind":"b"}')`);
    expect(await q(`select message from pgmq.read('jobs', 30, 5, '{"kind":"b"}')`)).toEqual([{ message: { kind: 'b' } }]);
    await expect(engine.query(`select pgmq.send('no such queue!', '{}')`)).rejects.toThrow(/queue name contains invalid characters/);
  });

  it('pg_graphql stand-in: graphql.resolve() raises a clear error', async () => {
    await expect(engine.query(`select graphql.resolve('{ x }')`)).rejects.toThrow(/pg_graphql is not available on this database/);
  });

  it('a second create extension of a stand-in without IF NOT EXISTS fails as Postgres does, at file:line:col', async () => {
    if (cronIsReal) return;
    const dup = makeProject({
      'migrations/001_cron.sql': 'create extension if not exists pg_cron with schema extensions;',
      'migrations/002_dup.sql': 'select 1;\n  create extension pg_cron with schema extensions;',
    });
    const t = await targetFor(engineName);
    try {
      const err = await caught(migrate({ cwd: dup.root, ...t.options }));
      expect(err.code).toBe('KEEL_EXTENSION_EXISTS');
      expect(err.message).toBe(`supabase/migrations/002_dup.sql:2:3: extension "pg_cron" already exists (Keel's stand-in, in schema cron)`);
      expect(err.location).toEqual({ file: 'supabase/migrations/002_dup.sql', line: 2, column: 3 });
    } finally {
      await t.drop();
    }
  });
});
