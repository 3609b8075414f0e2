import type { Queryable } from '../engine.js';

/** The setting the secret helpers read the key from (Supabase's convention for custom settings). */
export const SECRET_KEY_SETTING = 'app.settings.encryption_key';

/**
 * `keel.encrypt_secret(text) → bytea` and `keel.decrypt_secret(bytea) → text`: pgcrypto's pgp_sym_encrypt with the key
 * taken from `app.settings.encryption_key`, which Keel sets per transaction from the environment — never from a
 * migration. Both fail with one clear message: no key (SQLSTATE 55000), wrong key or damaged data (39000).
 */
export const SECRET_HELPERS_SQL = `
create schema if not exists keel;
grant usage on schema keel to authenticated, service_role;
create or replace function keel.encrypt_secret(plaintext text) returns bytea
language plpgsql volatile set search_path = '' as $keel$
declare k text := nullif(current_setting('${SECRET_KEY_SETTING}', true), '');
begin
  if k is null then
    raise exception 'keel.encrypt_secret: no encryption key (set ${SECRET_KEY_SETTING}, e.g. through KEEL_ENCRYPTION_KEY)' using errcode = '55000';
  end if;
  return extensions.pgp_sym_encrypt(plaintext, k, 'cipher-algo=aes256');
end $keel$;
create or replace function keel.decrypt_secret(ciphertext bytea) returns text
language plpgsql stable set search_path = '' as $keel$
declare k text := nullif(current_setting('${SECRET_KEY_SETTING}', true), '');
begin
  if k is null then
    raise exception 'keel.decrypt_secret: no encryption key (set ${SECRET_KEY_SETTING}, e.g. through KEEL_ENCRYPTION_KEY)' using errcode = '55000';
  end if;
  return extensions.pgp_sym_decrypt(ciphertext, k);
exception when external_routine_invocation_exception then
  raise exception 'keel.decrypt_secret: wrong key or damaged data' using errcode = '39000';
end $keel$;
revoke all on function keel.encrypt_secret(text), keel.decrypt_secret(bytea) from public;
grant execute on function keel.encrypt_secret(text), keel.decrypt_secret(bytea) to authenticated, service_role;`;

/** Installs the secret helpers (idempotent; needs pgcrypto in schema `extensions`, as on Supabase and under the shim). */
export async function installSecretHelpers(db: Queryable): Promise<void> {
  const { rows } = await db.query<{ ok: boolean }>(`select to_regprocedure('keel.decrypt_secret(bytea)') is not null as ok`);
  if (!rows[0]?.ok) await db.exec(SECRET_HELPERS_SQL);
}
