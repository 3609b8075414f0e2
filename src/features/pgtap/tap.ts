/**
 * TAP (Test Anything Protocol) as pgTAP writes it: a plan `1..N`, test lines `ok N - description` / `not ok N -
 * description` with `# SKIP` / `# TODO` directives, `#` diagnostics (pgTAP's `# Failed test N: "…"` followed by
 * `#   have: …` / `#   want: …`), and `Bail out!`. Lines that are not TAP (a suite's own `select` output) are ignored,
 * as pg_prove's parser ignores them.
 */

/** One line of output and the statement (index into the file's statements) that produced it. */
export interface TapLine {
  text: string;
  statement: number;
}

export interface TapDirective {
  kind: 'skip' | 'todo';
  reason: string;
}

export interface TapTest {
  /** The number the line carries (or its position when it carries none). */
  number: number;
  ok: boolean;
  description: string;
  directive?: TapDirective;
  /** The `#` lines that followed the test line from the same statement, without the leading `# `. */
  diagnostics: string[];
  /** pgTAP's `have:` value (continuation lines joined with newlines), when the diagnostics carry one. */
  have?: string;
  want?: string;
  /** The statement that printed the test line. */
  statement: number;
}

export interface TapPlan {
  count: number;
  /** `1..0 # Skipped: why`: the whole file is skipped. */
  skipAll?: string;
  statement: number;
}

export interface TapParse {
  plan?: TapPlan;
  /** More than one plan line is a TAP error (pg_prove: "More than one plan found"). */
  extraPlans: number;
  tests: TapTest[];
  bailOut?: string;
  /** `#` lines not attached to a failing test (e.g. pgTAP's `diag()` output, or `# Looks like you failed …`). */
  comments: string[];
}

const PLAN = /^1\.\.(\d+)(?:\s*#\s*(.*))?$/;
const TEST = /^(not )?ok\b(?:\s+(\d+))?(?:\s*-)?\s*(.*)$/;
const BAIL = /^Bail out!\s*(.*)$/;
/** A directive is an unescaped `#` followed by SKIP or TODO; pgTAP escapes `#` in descriptions as `\#`. */
const DIRECTIVE = /(?:^|\s)(?<!\\)#\s*(SKIP|TODO)\S*\s*(.*)$/i;

function splitDirective(rest: string): { description: string; directive?: TapDirective } {
  const m = DIRECTIVE.exec(rest);
  if (!m) return { description: unescape(rest.trim()) };
  return {
    description: unescape(rest.slice(0, m.index).trim()),
    directive: { kind: m[1]!.toLowerCase() as 'skip' | 'todo', reason: m[2]!.trim() },
  };
}

function unescape(s: string): string {
  return s.replace(/\\([\\#])/g, '$1');
}

/** `have:` / `want:` out of pgTAP's diagnostics; a value's continuation lines are indented past its label. */
function haveWant(diagnostics: string[]): { have?: string; want?: string } {
  const out: { have?: string; want?: string } = {};
  let current: 'have' | 'want' | undefined;
  let valueColumn = 0;
  for (const line of diagnostics) {
    const m = /^(\s*)(have|want):(\s?)(.*)$/.exec(line);
    if (m) {
      current = m[2] as 'have' | 'want';
      valueColumn = m[1]!.length + 5 + m[3]!.length;
      out[current] = m[4]!;
      continue;
    }
    const indent = /^\s*/.exec(line)![0].length;
    if (current && indent >= valueColumn && line.trim() !== '') out[current] += `\n${line.slice(valueColumn)}`;
    else current = undefined;
  }
  return out;
}

/**
 * Parses pgTAP output.
 *
 * @example
 * parseTap([{ text: '1..1', statement: 0 }, { text: 'not ok 1 - sum\n# Failed test 1: "sum"\n#         have: 1\n#         want: 2', statement: 1 }])
 * // { plan: { count: 1, statement: 0 }, tests: [{ number: 1, ok: false, description: 'sum', have: '1', want: '2', … }], … }
 */
export function parseTap(lines: TapLine[]): TapParse {
  const out: TapParse = { extraPlans: 0, tests: [], comments: [] };
  let last: TapTest | undefined;
  for (const { text, statement } of lines) {
    for (const raw of text.split('\n')) {
      const line = raw.replace(/\r$/, '');
      let m: RegExpExecArray | null;
      if (line.startsWith('#')) {
        const body = line.replace(/^# ?/, '');
        // pgTAP prints a failure's diagnostics in the same value as its test line; later `#` lines (finish(), diag()) are comments
        if (last && !last.ok && last.statement === statement) last.diagnostics.push(body);
        else out.comments.push(body);
      } else if ((m = PLAN.exec(line.trim()))) {
        if (out.plan) out.extraPlans++;
        else {
          const count = Number(m[1]);
          const skipAll = count === 0 && m[2] && /^skip/i.test(m[2]) ? m[2].replace(/^skip\S*\s*/i, '') : undefined;
          out.plan = { count, statement, ...(skipAll !== undefined && { skipAll }) };
        }
        last = undefined;
      } else if ((m = TEST.exec(line))) {
        const { description, directive } = splitDirective(m[3] ?? '');
        last = {
          number: m[2] ? Number(m[2]) : out.tests.length + 1,
          ok: !m[1],
          description,
          ...(directive && { directive }),
          diagnostics: [],
          statement,
        };
        out.tests.push(last);
      } else if ((m = BAIL.exec(line))) {
        out.bailOut = m[1]!.trim();
        last = undefined;
      }
      // anything else is not TAP: ignored
    }
  }
  for (const t of out.tests) {
    if (t.ok) continue;
    const hw = haveWant(t.diagnostics);
    if (hw.have !== undefined) t.have = hw.have;
    if (hw.want !== undefined) t.want = hw.want;
  }
  return out;
}

export interface TapVerdict {
  /** Tests that passed: `ok` (a SKIP counts as passed) and `not ok … # TODO` (an expected failure). */
  passed: number;
  /** `not ok` tests without a TODO directive. */
  failed: number;
  skipped: number;
  todo: number;
  /** Why the file fails other than by failing tests: no plan, a bad plan, numbers out of sequence, a bail-out. */
  problems: string[];
}

/**
 * Judges a parse as strictly as pg_prove: a plan must be present (pgTAP's `finish()` prints one for `no_plan()`) and
 * equal to the number of tests run, test numbers must run 1, 2, 3…, and a bail-out fails the file.
 *
 * @example
 * tapVerdict(parseTap([{ text: '1..2', statement: 0 }, { text: 'ok 1 - a', statement: 1 }])).problems
 * // ['planned 2 tests but ran 1']
 */
export function tapVerdict(parse: TapParse): TapVerdict {
  const problems: string[] = [];
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  let todo = 0;
  for (const t of parse.tests) {
    if (t.directive?.kind === 'skip') skipped++;
    if (t.directive?.kind === 'todo') todo++;
    if (t.ok || t.directive?.kind === 'todo') passed++;
    else failed++;
  }
  if (parse.bailOut !== undefined) problems.push(`bailed out${parse.bailOut ? `: ${parse.bailOut}` : ''}`);
  if (!parse.plan) {
    problems.push(parse.tests.length ? `no plan: ran ${parse.tests.length} test(s) without plan(n) or finish()` : 'no plan and no tests');
  } else if (parse.plan.count !== parse.tests.length) {
    problems.push(`bad plan: planned ${parse.plan.count} test(s) but ran ${parse.tests.length}`);
  }
  if (parse.extraPlans) problems.push('more than one plan');
  const outOfOrder = parse.tests.find((t, i) => t.number !== i + 1);
  if (outOfOrder)
    problems.push(`test numbers out of sequence: test ${parse.tests.indexOf(outOfOrder) + 1} is numbered ${outOfOrder.number}`);
  return { passed, failed, skipped, todo, problems };
}
