/**
 * The advisory lock key every Keel process takes inside its schema-changing transactions ('keel' in ASCII), so two
 * migrators (or two shim installs) on one server run one after the other. Transaction-scoped, so poolers are fine.
 */
export const KEEL_LOCK_KEY = 0x6b65656c;
