import type { Engine, Queryable } from '../../db/engine.js';
import type { Persona } from './spec.js';

const ROLLBACK = new Error('rolled back on purpose'); // thrown out of the transaction so the engine rolls back

/** The claims Supabase's API would send for this persona. */
export function claimsOf(persona: Pick<Persona, 'role' | 'sub' | 'claims'>): Record<string, unknown> {
  return { ...(persona.sub ? { sub: persona.sub } : {}), role: persona.role, ...(persona.claims ?? {}) };
}

/**
 * Runs `fn` as a user, the way Supabase's API does: in a transaction with `set local role` and the JWT claims in
 * `request.jwt.claims` (and the older `request.jwt.claim.sub` / `.role`). Always rolled back, so tests leave no trace;
 * the superuser would bypass RLS, which is why RLS is only real here.
 *
 * @example
 * const mine = await asUser(engine, { role: 'authenticated', sub: userId }, (db) => db.query('select * from public.tasks'));
 */
export async function asUser<T>(
  engine: Engine,
  persona: Pick<Persona, 'role' | 'sub' | 'claims'>,
  fn: (db: Queryable) => Promise<T>,
): Promise<T> {
  let result: T | undefined;
  try {
    await engine.transaction(async (tx) => {
      await tx.query(
        `select set_config('request.jwt.claims', $1, true), set_config('request.jwt.claim.sub', $2, true),
                set_config('request.jwt.claim.role', $3, true), set_config('role', $3, true)`,
        [JSON.stringify(claimsOf(persona)), persona.sub ?? '', persona.role],
      );
      result = await fn(tx);
      throw ROLLBACK;
    });
  } catch (err) {
    if (err !== ROLLBACK) throw err;
  }
  return result as T;
}
