/**
 * User triggers on tables and views.
 */
import type { Trigger } from './model.js';
import { notExtensionMember, sortBy, type CatalogQuery } from './shared.js';

interface TriggerRow {
  schema: string;
  table: string;
  name: string;
  definition: string;
  function: string;
  enabled: string;
  type: number;
  comment: string | null;
}

// tgisinternal: the triggers behind foreign keys, which the constraint already describes. tgparentid <> 0: clones of
// a partitioned table's trigger on each partition, implied by the parent's.
const TRIGGERS_SQL = `
select n.nspname::text as schema, c.relname::text as table, t.tgname::text as name,
       pg_get_triggerdef(t.oid) as definition,
       pn.nspname::text || '.' || p.proname::text as function,
       t.tgenabled::text as enabled, t.tgtype::int as type,
       obj_description(t.oid, 'pg_trigger') as comment
  from pg_trigger t
  join pg_class c on c.oid = t.tgrelid
  join pg_namespace n on n.oid = c.relnamespace
  join pg_proc p on p.oid = t.tgfoid
  join pg_namespace pn on pn.oid = p.pronamespace
 where not t.tgisinternal and t.tgparentid = 0
   and n.nspname = any($1::text[])
   and ${notExtensionMember('pg_class', 'c.oid')}`;

const ENABLED: Record<string, Trigger['enabled']> = { O: 'origin', A: 'always', R: 'replica', D: 'disabled' };

// Bits of tgtype, from src/include/catalog/pg_trigger.h.
const ROW = 1,
  BEFORE = 2,
  INSERT = 4,
  DELETE = 8,
  UPDATE = 16,
  TRUNCATE = 32,
  INSTEAD = 64;

/**
 * Triggers sorted by schema, table and name.
 *
 * @example
 * (await readTriggers(q)).filter((t) => t.enabled === 'disabled');
 */
export async function readTriggers(q: CatalogQuery): Promise<Trigger[]> {
  const rows = await q<TriggerRow>(TRIGGERS_SQL);
  const triggers = rows.map((r): Trigger => {
    const events: Trigger['events'] = [];
    if (r.type & INSERT) events.push('insert');
    if (r.type & UPDATE) events.push('update');
    if (r.type & DELETE) events.push('delete');
    if (r.type & TRUNCATE) events.push('truncate');
    return {
      schema: r.schema,
      table: r.table,
      name: r.name,
      definition: r.definition,
      function: r.function,
      timing: r.type & INSTEAD ? 'instead of' : r.type & BEFORE ? 'before' : 'after',
      events,
      level: r.type & ROW ? 'row' : 'statement',
      enabled: ENABLED[r.enabled] ?? 'origin',
      comment: r.comment,
    };
  });
  return sortBy(
    triggers,
    (t) => t.schema,
    (t) => t.table,
    (t) => t.name,
  );
}
