/**
 * Vault (supabase_vault 0.3.1's interface): `vault.secrets`, `vault.decrypted_secrets`, `vault.create_secret()` and
 * `vault.update_secret()`, with the same columns, signatures and grants; and the `pgsodium` schema and roles that
 * `supabase db dump` output and older projects reference (`create extension pgsodium with schema pgsodium`).
 *
 * The encryption is pgcrypto's (pgp_sym_encrypt, AES-256), not libsodium's: the secret column holds the base64 of the
 * PGP message. The key is 32 random bytes made when the shim is installed and kept in the database, in
 * `vault.keel_key`, readable by its owner only; it is not a key held outside the database as the platform's is, so the
 * vault here keeps secrets out of plain sight (dumps of vault.secrets, logs), not away from the database's owner.
 * create_secret/update_secret are security definer (callable by postgres and service_role only), so callers need no
 * write grant on vault.secrets. Secrets encrypted here cannot be decrypted on the platform (nor the reverse): move them as plain text.
 */
export const VAULT_SQL = `
create schema if not exists pgsodium;
-- the vault's functions belong to supabase_admin (owners.ts) and encrypt with pgcrypto in schema extensions
grant usage on schema extensions to supabase_admin, dashboard_user;
create schema if not exists vault;
create table if not exists vault.keel_key (id boolean primary key default true check (id), key text not null);
comment on table vault.keel_key is 'Keel: the key vault.secrets are encrypted with (pgcrypto AES-256), made when the shim was installed.';
insert into vault.keel_key (key) values (encode(extensions.gen_random_bytes(32), 'hex')) on conflict do nothing;
revoke all on vault.keel_key from public;
create table if not exists vault.secrets (
  id uuid primary key default gen_random_uuid(),
  name text,
  description text not null default '',
  secret text not null,
  key_id uuid,
  nonce bytea default extensions.gen_random_bytes(16),
  created_at timestamptz not null default current_timestamp,
  updated_at timestamptz not null default current_timestamp);
comment on table vault.secrets is 'Table with encrypted \`secret\` column for storing sensitive information on disk.';
create unique index if not exists secrets_name_idx on vault.secrets (name) where name is not null;
create or replace function vault.keel_encrypt(plaintext text) returns text
language sql volatile security definer set search_path = '' as $keel$
  select encode(extensions.pgp_sym_encrypt(plaintext, (select key from vault.keel_key), 'cipher-algo=aes256'), 'base64')
$keel$;
create or replace function vault.keel_decrypt(ciphertext text) returns text
language plpgsql stable security definer set search_path = '' as $keel$
begin
  return extensions.pgp_sym_decrypt(decode(ciphertext, 'base64'), (select key from vault.keel_key));
exception when others then
  return null; -- not encrypted with this database's key (as the platform's view shows null for a secret it cannot open)
end $keel$;
create or replace view vault.decrypted_secrets as
  select s.id, s.name, s.description, s.secret, vault.keel_decrypt(s.secret) as decrypted_secret, s.key_id, s.nonce,
         s.created_at, s.updated_at
    from vault.secrets s;
create or replace function vault.create_secret(new_secret text, new_name text default null, new_description text default '',
    new_key_id uuid default null) returns uuid
language plpgsql security definer set search_path = '' as $keel$
declare new_id uuid;
begin
  insert into vault.secrets (secret, name, description) values (vault.keel_encrypt(new_secret), new_name, new_description)
  returning id into new_id;
  return new_id;
end $keel$;
create or replace function vault.update_secret(secret_id uuid, new_secret text default null, new_name text default null,
    new_description text default null, new_key_id uuid default null) returns void
language plpgsql security definer set search_path = '' as $keel$
begin
  update vault.secrets s
     set secret = case when new_secret is null then s.secret else vault.keel_encrypt(new_secret) end,
         name = coalesce(new_name, s.name),
         description = coalesce(new_description, s.description),
         updated_at = now()
   where s.id = secret_id;
end $keel$;
revoke all on function vault.keel_encrypt(text), vault.keel_decrypt(text), vault.create_secret(text, text, text, uuid),
  vault.update_secret(uuid, text, text, text, uuid) from public;
{ifpg}grant usage on schema vault to postgres with grant option;
{ifpg}grant select, delete on vault.secrets, vault.decrypted_secrets to postgres with grant option;
grant usage on schema vault to service_role, pgsodium_keyiduser;
grant select, delete on vault.secrets, vault.decrypted_secrets to service_role, pgsodium_keyiduser;
grant execute on function vault.keel_encrypt(text), vault.keel_decrypt(text), vault.create_secret(text, text, text, uuid),
  vault.update_secret(uuid, text, text, text, uuid) to {postgres}service_role, pgsodium_keyiduser;
grant usage on schema pgsodium to {postgres}pgsodium_keyiduser, pgsodium_keyholder, pgsodium_keymaker;`;
