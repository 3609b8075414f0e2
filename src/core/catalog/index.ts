/**
 * The catalog: one typed model of a database read from pg_catalog, shared by lint, validate, typegen, diff, backup,
 * inspect and Studio.
 *
 * @example
 * import { readCatalog, diffCatalogs, catalogFingerprint } from './core/catalog/index.js';
 * const before = await readCatalog(engine);
 * // … reset the database …
 * const after = await readCatalog(engine);
 * diffCatalogs(before, after); // [] when the reset rebuilt the same schema
 * catalogFingerprint(before) === catalogFingerprint(after);
 */
export { readCatalog } from './read.js';
export { catalogFingerprint, diffCatalogs, stableJson } from './compare.js';
export type {
  Catalog,
  Column,
  CompositeType,
  Constraint,
  DomainType,
  EnumType,
  Extension,
  FkAction,
  ForeignKeyTarget,
  Grant,
  Index,
  MaterializedView,
  Policy,
  Publication,
  ReadCatalogOptions,
  Routine,
  RoutineArgument,
  Schema,
  Sequence,
  Table,
  Trigger,
  View,
  ViewColumn,
} from './model.js';
