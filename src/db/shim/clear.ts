import type { Queryable } from '../engine.js';

/**
 * Every shim table that holds a project's data (users and everything hanging off them, buckets and objects, vault
 * secrets, webhook and broadcast logs). The services' own migration tables stay: they describe the shim, not the project.
 */
export const SHIM_DATA_TABLES = [
  'auth.users',
  'auth.identities',
  'auth.sessions',
  'auth.refresh_tokens',
  'auth.mfa_factors',
  'auth.mfa_challenges',
  'auth.mfa_amr_claims',
  'auth.one_time_tokens',
  'auth.flow_state',
  'auth.audit_log_entries',
  'auth.instances',
  'auth.sso_providers',
  'auth.sso_domains',
  'auth.saml_providers',
  'auth.saml_relay_states',
  'auth.oauth_clients',
  'auth.oauth_authorizations',
  'auth.oauth_consents',
  'auth.oauth_client_states',
  'auth.webauthn_credentials',
  'auth.webauthn_challenges',
  'auth.custom_oauth_providers',
  'storage.buckets',
  'storage.objects',
  'storage.s3_multipart_uploads',
  'storage.s3_multipart_uploads_parts',
  'storage.buckets_analytics',
  'storage.buckets_vectors',
  'storage.vector_indexes',
  'storage.iceberg_namespaces',
  'storage.iceberg_tables',
  'vault.secrets',
  'supabase_functions.hooks',
  'supabase_functions.keel_requests',
  'realtime.messages',
];

/**
 * Empties the shim's data tables and restarts their sequences, as a fresh Supabase database has them; tables this
 * database lacks (an older shim) are skipped. Call inside a transaction, on a database where Keel's shim owns `auth`,
 * after the project's own schemas are gone: a project table still referencing one of these makes it fail (nothing is
 * lost), where a cascade would empty it too.
 *
 * @example
 * await engine.transaction(async (tx) => { await wipeProjectSchemas(tx); await clearShimData(tx); });
 */
export async function clearShimData(tx: Queryable): Promise<void> {
  const { rows } = await tx.query<{ name: string }>(`select t as name from unnest($1::text[]) t where to_regclass(t) is not null`, [
    SHIM_DATA_TABLES,
  ]);
  if (rows.length === 0) return;
  await tx.exec(`truncate ${rows.map((r) => r.name).join(', ')} restart identity`);
}
