/**
 * `keel db validate`: data integrity checks, one set-based query per constraint, in one read-only snapshot.
 */
export { validateOn, type ValidateResult, type ValidateSummary, type ValidateRunOptions } from './run.js';
export {
  CHECK_FAMILIES,
  quoteIdent,
  type CheckFamily,
  type CheckId,
  type ValidateFinding,
  type ValidateLevel,
  type ValidateProgress,
} from './shared.js';
export { orphanPredicate } from './orphans.js';
export { enumLikeCheck } from './constraints.js';
