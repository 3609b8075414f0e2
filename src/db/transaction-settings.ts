import type { Engine, Queryable, Transaction } from './engine.js';

/**
 * An engine whose every transaction starts with `set_config(name, value, true)` for each setting: transaction-local,
 * so nothing persists in the database or leaks to another pooled session, and passed as parameters, so a value (an
 * encryption key) never appears in SQL text, logs or error messages.
 *
 * @example
 * const engine = withTransactionSettings(await openEngine(target), { 'app.settings.encryption_key': key });
 */
export function withTransactionSettings(engine: Engine, settings: Record<string, string>): Engine {
  const names = Object.keys(settings);
  if (names.length === 0) return engine;
  const own = async (tx: Queryable) => {
    await tx.query(
      `select ${names.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`,
      names.flatMap((n) => [n, settings[n]]),
    );
  };
  const inner = applied.get(engine);
  const apply = async (tx: Queryable) => {
    await inner?.(tx);
    await own(tx);
  };
  const wrapped = new Proxy(engine, {
    get(target, prop, receiver) {
      if (prop === 'transaction') {
        return <T>(fn: (tx: Queryable) => Promise<T>) =>
          // an engine this one wraps has set its own already
          target.transaction(async (tx) => fn(settingFirst(tx, own)));
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  applied.set(wrapped, apply);
  return wrapped;
}

/**
 * The transaction, with `set(tx)` run before its first statement that is not `SET TRANSACTION …`: Postgres takes
 * SET TRANSACTION ISOLATION LEVEL only as the transaction's first query (catalog reads and backups start with it).
 */
function settingFirst(tx: Transaction, set: (tx: Queryable) => Promise<void>): Transaction {
  let done: Promise<void> | undefined;
  const ready = (sql: string) => (/^\s*set\s+transaction\b[^;]*;?\s*$/i.test(sql) ? undefined : (done ??= set(tx)));
  return {
    async query(sql, params) {
      await ready(sql);
      return tx.query(sql, params);
    },
    async exec(sql) {
      await ready(sql);
      return tx.exec(sql);
    },
    async *copyOut(source) {
      await ready('copy');
      yield* tx.copyOut(source);
    },
    async copyIn(target, data) {
      await ready('copy');
      return tx.copyIn(target, data);
    },
  };
}

/** What each wrapped engine sets at the start of a transaction (its own settings and those of engines it wraps). */
const applied = new WeakMap<Engine, (tx: Queryable) => Promise<void>>();

/**
 * Sets `engine`'s transaction settings again in `tx`: after a `RESET ALL` in the transaction (the session reset between
 * migration files), which clears them. Nothing for an engine without settings.
 *
 * @example
 * await tx.exec('reset all');
 * await reapplyTransactionSettings(engine, tx);
 */
export async function reapplyTransactionSettings(engine: Engine, tx: Queryable): Promise<void> {
  await applied.get(engine)?.(tx);
}
