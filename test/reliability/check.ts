export interface CheckFailure {
  case: string;
  seed?: number;
  why: string;
}
export interface CheckResult {
  check: string;
  engine: 'pglite' | 'postgres' | 'none';
  trials: number;
  failures: CheckFailure[];
  worstMs: number;
}
export interface CheckContext {
  engines: ('pglite' | 'postgres')[];
  pgAdminUrl: string | null;
  bounded: boolean;
  seed: number;
  tmpRoot: string;
  log(msg: string): void;
}
export interface Check {
  name: string;
  run(ctx: CheckContext): Promise<CheckResult[]>;
}
