import { registerSecret } from '../../core/redact.js';
import type { Engine } from '../../db/engine.js';
import { SECRET_KEY_SETTING } from '../../db/shim/secrets.js';
import { withTransactionSettings } from '../../db/transaction-settings.js';

/**
 * An engine whose transactions can use `keel.encrypt_secret()` / `keel.decrypt_secret()` (and helpers built on them):
 * the key is set per transaction as a parameter and scrubbed from anything Keel prints. The CLI does this from
 * `KEEL_ENCRYPTION_KEY`; applications and tests call it themselves.
 *
 * @example
 * const db = withSecretKey(engine, process.env.KEEL_ENCRYPTION_KEY!);
 * await db.transaction((tx) => tx.query(`insert into vault (token) values (keel.encrypt_secret($1))`, [token]));
 */
export function withSecretKey(engine: Engine, key: string): Engine {
  registerSecret(key);
  return withTransactionSettings(engine, { [SECRET_KEY_SETTING]: key });
}
