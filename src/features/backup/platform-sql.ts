/**
 * What a project adds to the platform's own tables: policies on `storage.objects` and `storage.buckets`, triggers on
 * `auth.users` (creating profiles), database webhooks (triggers calling `supabase_functions.http_request`) on platform
 * tables. The backup's schema.sql recreates the user schemas; these live in schemas the target's platform (or Keel's
 * shim) provides, so they are written as replace-in-place statements that apply after the data.
 */
import { readCatalog, type Trigger } from '../../core/catalog/index.js';
import type { Queryable } from '../../db/engine.js';
import { renderPolicy, renderTrigger } from './schema-sql.js';

/** The schema.sql section title (restore runs it after the data). */
export const PLATFORM_SECTION = 'policies and triggers on platform tables (auth, storage, …) that the project added';

/**
 * Schemas outside the backup's that hold tables with policies or user triggers: the only ones worth reading.
 */
async function schemasWithRules(db: Queryable, userSchemas: string[]): Promise<string[]> {
  const { rows } = await db.query<{ name: string }>(
    `select distinct n.nspname::text as name
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind in ('r', 'p') and n.nspname <> all($1::text[]) and n.nspname !~ '^pg_' and n.nspname <> 'information_schema'
        and (exists (select 1 from pg_policy p where p.polrelid = c.oid)
             or exists (select 1 from pg_trigger t where t.tgrelid = c.oid and not t.tgisinternal))
      order by 1`,
    [userSchemas],
  );
  return rows.map((r) => r.name);
}

/**
 * The platform's own triggers call functions of the table's own schema (`storage.update_updated_at_column()` on
 * `storage.objects`); the target's platform makes those. Any other trigger on a platform table is the project's:
 * one calling its functions, or a webhook calling `supabase_functions.http_request`.
 */
function projectTrigger(t: Trigger): boolean {
  return !t.function.startsWith(`${t.schema}.`);
}

/**
 * The section for schema.sql ('' when there is nothing): each policy and trigger dropped if it exists, then made as the
 * source has it, so the target ends equal whether it had them or not. Reads inside the caller's snapshot.
 *
 * @example
 * const sql = await renderPlatformSql(tx, ['public']);
 */
export async function renderPlatformSql(db: Queryable, userSchemas: string[]): Promise<string> {
  const schemas = await schemasWithRules(db, userSchemas);
  if (schemas.length === 0) return '';
  const catalog = await readCatalog(db, { schemas });
  const lines = [
    ...catalog.policies.flatMap((p) => renderPolicy(p, { replace: true })),
    ...catalog.triggers.filter(projectTrigger).flatMap((t) => renderTrigger(t, { replace: true })),
  ];
  return lines.length ? `\n-- ${PLATFORM_SECTION}\n${lines.join('\n')}\n` : '';
}
