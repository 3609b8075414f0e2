/** What the main thread of `keel db serve` (serve.ts) and its PGlite thread (serve-worker.ts) tell each other. */
export interface ServeInit {
  /** The data dir PGlite opens (existing: serve never creates a database). */
  dataDir: string;
  /** Module names of the extensions to register (see extensionModules). */
  extensions: string[];
  /** The private unix socket (or named pipe) the thread's socket server listens on. */
  socket: string;
}

export type ServeMessage =
  | { type: 'opened' }
  /** The instance failed the pg_trgm self-test: the main thread starts another. */
  | { type: 'broken' }
  | { type: 'listening' }
  | { type: 'stopped' }
  | { type: 'failed'; message: string };
