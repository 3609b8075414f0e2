/**
 * The warm embedded engine: one engine host process per project owns the PGlite data dir and serves every Keel
 * process over a unix socket (see server.ts for the host, client-engine.ts for the client side).
 */
export { startEngineHost, stopEngineHost, engineHostStatus, engineHostSettled } from './control.js';
export { autoStart } from './connect.js';
export { hostLog, socketPath, stateFile, DEFAULT_HOST_IDLE_MS, type HostStatus } from './state.js';
