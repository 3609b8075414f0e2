/** The comment on schema `auth` that marks Keel's shim (and its version) apart from Supabase's own auth schema. */
export const SHIM_MARKER = 'keel: supabase shim';
/** Bumped whenever the shim's SQL changes, so databases with an older shim get the new one. */
export const SHIM_VERSION = 2;
export const SHIM_COMMENT = `${SHIM_MARKER} v${SHIM_VERSION}`;
