import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../../db/engine.js';
import { openEngine } from '../../db/open.js';
import { TEMPLATE_PREFIX } from '../../db/postgres/keel-databases.js';
import { SECRET_HELPERS_SQL } from '../../db/shim/secrets.js';
import { shimFingerprint } from '../../db/shim/supabase-shim.js';
import { createScratchDatabase, dropDatabase, sqlStateOf, urlForDatabase, type DatabaseFacts } from './database-swap.js';

const PREFIX = TEMPLATE_PREFIX;
const BUILDING = 'keel_building_';

/**
 * The name of the template database holding the shim at this version: `keel_template_<hash>`, the hash taken over
 * everything the shim and the secret helpers install, so a changed shim gets a new template and never a stale one.
 */
export function shimTemplateName(): string {
  const hash = createHash('sha256').update(shimFingerprint()).update(SECRET_HELPERS_SQL).digest('hex').slice(0, 12);
  return `${PREFIX}${hash}`;
}

/**
 * On Keel's own local server only (never a user's server: this leaves a database behind): a database with the shim
 * and the secret helpers already installed, for a reset or a scratch build to copy with `CREATE DATABASE … TEMPLATE`
 * instead of installing the shim each time (about 1 s of SQL on a server, 60 ms to copy). Built once under a
 * temporary name and renamed when whole, so a killed build never leaves a half-made template under the real name;
 * templates of other shim versions are dropped. `build` installs the shim (the caller's `prepareDatabase`, passed in
 * so this module does not depend on the commands layer). Returns the template's name.
 *
 * @example
 * const template = await ensureShimTemplate(admin, url, facts, (tx) => prepareDatabase(tx));
 * await createScratchDatabase(admin, facts, scratch, template);
 */
export async function ensureShimTemplate(
  admin: Queryable,
  url: string,
  facts: DatabaseFacts,
  build: (tx: Queryable) => Promise<unknown>,
): Promise<string> {
  const name = shimTemplateName();
  const { rows } = await admin.query<{ datname: string }>(
    `select datname from pg_database d
      where left(datname, length($1)) = $1
         or (left(datname, length($2)) = $2 and not exists (select 1 from pg_stat_activity a where a.datname = d.datname))`,
    [PREFIX, BUILDING],
  );
  // other shim versions' templates, and builds a killed process left
  for (const r of rows) {
    if (r.datname !== name) await dropDatabase(admin, r.datname, facts.version).catch(() => undefined);
  }
  if (rows.some((r) => r.datname === name)) return name;
  const building = `${BUILDING}${randomBytes(4).toString('hex')}`;
  await createScratchDatabase(admin, facts, building);
  try {
    const engine = await openEngine({ kind: 'postgres', url: urlForDatabase(url, building) });
    try {
      await engine.transaction((tx) => build(tx));
    } finally {
      await engine.close();
    }
    await admin.exec(`alter database "${building}" rename to "${name}"`);
  } catch (err) {
    await dropDatabase(admin, building, facts.version).catch(() => undefined);
    // another reset built it meanwhile (42P04: the name exists): use theirs
    if (sqlStateOf(err) === '42P04') return name;
    throw err;
  }
  return name;
}
