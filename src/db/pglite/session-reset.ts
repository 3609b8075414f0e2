import type { Queryable } from '../engine.js';

/**
 * What a new server session starts with, as far as SQL can give it back to PGlite's one session:
 *
 * 1. `rollback`: ends a transaction left open or aborted (outside one it is only a warning).
 * 2. `discard all`: closes cursors, resets the session authorization and role, every setting (`reset all`),
 *    deallocates prepared statements, stops listening, releases session advisory locks, drops temporary tables and
 *    functions, forgets cached plans and sequence state (`currval`, `lastval`). It cannot run in a transaction, hence
 *    step 1, and its own round trip.
 * 3. The settings a new session gets at login, which `reset all` does not give back on PGlite: its values go back to
 *    those in effect when the instance started, so an `alter database … set search_path` (the shim's) made since would
 *    be lost. They are re-applied from `pg_db_role_setting` for this database and the session user, in Postgres's
 *    order of precedence (all, database, role, database and role; the later wins).
 *
 * Left as Postgres gives no SQL for it: a custom setting (`request.jwt.claims`) set earlier in the session reads back as
 * '' rather than NULL with `current_setting(name, true)`; libraries loaded with LOAD stay loaded.
 */
export async function resetPgliteSession(db: Queryable): Promise<void> {
  await db.exec('rollback');
  await db.exec('discard all');
  await db.exec(LOGIN_SETTINGS);
}

/** Re-applies the login settings of `pg_db_role_setting` at session level (set_config(…, false)). */
const LOGIN_SETTINGS = `do $keel$
declare
  s text;
begin
  for s in
    select c.setting
      from pg_catalog.pg_db_role_setting r
      cross join lateral pg_catalog.unnest(r.setconfig) with ordinality as c(setting, n)
     where r.setdatabase in (0, (select d.oid from pg_catalog.pg_database d where d.datname = pg_catalog.current_database()))
       and r.setrole in (0, (select a.oid from pg_catalog.pg_roles a where a.rolname = session_user))
     order by (r.setrole <> 0)::int * 2 + (r.setdatabase <> 0)::int, c.n
  loop
    perform pg_catalog.set_config(pg_catalog.split_part(s, '=', 1), pg_catalog.substr(s, pg_catalog.strpos(s, '=') + 1), false);
  end loop;
end
$keel$`;

/**
 * `fn` inside BEGIN … COMMIT on PGlite's one session (ROLLBACK when it throws): the body of `transaction()` of both
 * PGlite engines (in-process and through the engine host), run while they hold the session.
 */
export async function inTransaction<S extends Queryable, T>(direct: S, fn: (tx: S) => Promise<T>): Promise<T> {
  await direct.exec('begin');
  try {
    const out = await fn(direct);
    await direct.exec('commit');
    return out;
  } catch (err) {
    await direct.exec('rollback').catch(() => undefined);
    throw err;
  }
}

/** `fn` on the one session as a new session would find it, given back that way afterwards: the body of `session()`. */
export async function inFreshSession<S extends Queryable, T>(direct: S, fn: (s: S) => Promise<T>): Promise<T> {
  await resetPgliteSession(direct);
  let out: T;
  try {
    out = await fn(direct);
  } catch (err) {
    await resetPgliteSession(direct).catch(() => undefined);
    throw err;
  }
  await resetPgliteSession(direct);
  return out;
}
