/**
 * Databases Keel keeps on its own local server (`[db] engine = "local-server"`) besides the project's: the shim
 * template `keel_template_<hash>` (features/migrate/shim-template.ts), one spare copy of it `keel_spare_<hash>` for the
 * next reset to rename instead of copy, and, for a few seconds after a reset, the database it replaced
 * (`<db>_keel_old_<rand>`). Never on a server given by URL.
 */
export const TEMPLATE_PREFIX = 'keel_template_';
export const SPARE_PREFIX = 'keel_spare_';
const OLD_MARK = '_keel_old_';

/** The spare copy of a template: `keel_spare_<the template's hash>`. */
export function spareName(template: string): string {
  return `${SPARE_PREFIX}${template.slice(TEMPLATE_PREFIX.length)}`;
}

type Query = (sql: string, params?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * The keeper's work between commands: drops the databases resets replaced (once nobody is connected to them; the reset
 * itself does not wait the ~0.1 s a DROP DATABASE takes), drops spares whose template is gone, and makes the spare of
 * each template when there is none (a CREATE DATABASE … TEMPLATE the next reset then saves). Failures are left for the
 * next round (someone connected, a reset took the spare meanwhile). Returns what it did, for the keeper's log.
 *
 * @example
 * await housekeeping((sql, params) => client.query(sql, params));
 */
export async function housekeeping(query: Query): Promise<string[]> {
  const { rows } = await query(
    `select d.datname as name, exists (select 1 from pg_stat_activity a where a.datname = d.datname) as busy
       from pg_database d
      where left(d.datname, length($1)) = $1 or left(d.datname, length($2)) = $2 or strpos(d.datname, $3) > 0`,
    [TEMPLATE_PREFIX, SPARE_PREFIX, OLD_MARK],
  );
  const names = new Set(rows.map((r) => String(r.name)));
  const templates = [...names].filter((n) => n.startsWith(TEMPLATE_PREFIX));
  const wanted = new Set(templates.map(spareName));
  const done: string[] = [];
  const attempt = async (sql: string, what: string) => {
    try {
      await query(sql);
      done.push(what);
    } catch {
      /* next round */
    }
  };
  for (const r of rows) {
    const name = String(r.name);
    if (r.busy) continue;
    if (name.includes(OLD_MARK) || (name.startsWith(SPARE_PREFIX) && !wanted.has(name))) {
      await attempt(`drop database if exists ${q(name)}`, `dropped ${name}`);
    }
  }
  for (const t of templates) {
    const spare = spareName(t);
    if (!names.has(spare)) await attempt(`create database ${q(spare)} template ${q(t)}`, `made ${spare}`);
  }
  return done;
}

/**
 * Gives the spare of `template` the name `scratch` (about 1 ms), when there is one nobody is connected to; false
 * otherwise (the caller then copies the template).
 */
export async function takeSpare(query: Query, template: string, scratch: string): Promise<boolean> {
  try {
    await query(`alter database ${q(spareName(template))} rename to ${q(scratch)}`);
    return true;
  } catch {
    return false;
  }
}
