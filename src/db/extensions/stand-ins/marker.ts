import { literal } from '../sql-text.js';

/**
 * Keel records each extension it stood in for in `keel.stand_ins`, so a later `create extension` of the same name
 * behaves as Postgres does for an installed one (IF NOT EXISTS: a no-op; else "already exists").
 */
export const MARKER_TABLE = 'keel.stand_ins';

export type StandInKind = 'stand-in' | 'keel-sql';

/** The SQL recording one stand-in (run in the same statement as the stand-in itself). */
export function markerSql(extension: string, schema: string, kind: StandInKind): string {
  return `create schema if not exists keel;
create table if not exists keel.stand_ins (
  extension text primary key,
  schema text not null,
  kind text not null,
  created_at timestamptz not null default now()
);
comment on table keel.stand_ins is 'Extensions Keel replaced where the engine lacks them (see docs/extensions.md)';
insert into keel.stand_ins (extension, schema, kind) values (${literal(extension)}, ${literal(schema)}, ${literal(kind)})`;
}
