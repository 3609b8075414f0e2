import type { Engine, Queryable } from './engine.js';

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
  const apply = (tx: Queryable) =>
    tx.query(`select ${names.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`, names.flatMap((n) => [n, settings[n]]));
  return new Proxy(engine, {
    get(target, prop, receiver) {
      if (prop === 'transaction') {
        return <T>(fn: (tx: Queryable) => Promise<T>) =>
          target.transaction(async (tx) => {
            await apply(tx);
            return fn(tx);
          });
      }
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
