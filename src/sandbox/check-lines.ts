/**
 * Check lines: `@@svs-check <nonce> {json}`, one per check result and then one summary, printed by
 * sandboxes/_kit/reporter.mjs. They decide whether a lesson is complete, so only lines carrying this
 * run's nonce count: a learner's `console.log` that imitates a result line cannot know the nonce.
 */
import { CHECK_MARKER } from './protocol.ts';
import { createLineSplitter, isCount, parseJsonObject } from './output-lines.ts';

export type CheckStatus = 'pass' | 'fail' | 'error' | 'timeout';

export interface CheckResult {
  /** Stable within a sandbox: `<check file>/<test name>`. */
  id: string;
  /** The learner-facing sentence (the node:test name); hints in sandbox.json are keyed by it. */
  title: string;
  status: CheckStatus;
  /** What was expected and what came back; empty when the check passed. */
  message: string;
  durationMs: number;
}

export interface CheckSummary {
  passed: number;
  failed: number;
  total: number;
}

export type CheckLine =
  { kind: 'result'; result: CheckResult } | { kind: 'summary'; summary: CheckSummary };

const checkStatuses: readonly string[] = ['pass', 'fail', 'error', 'timeout'];

/** Parses one complete line; null unless it is a well-formed check line with exactly this nonce. */
export function parseCheckLine(nonce: string, line: string): CheckLine | null {
  const trimmed = line.replace(/\r$/, '');
  const prefix = `${CHECK_MARKER} ${nonce} `;
  // An empty nonce would let any line through; treat it as "trust nothing".
  if (nonce === '' || !trimmed.startsWith(prefix)) return null;
  const data = parseJsonObject(trimmed.slice(prefix.length));
  if (data === null) return null;

  if (data['type'] === 'summary') {
    const { passed, failed, total } = data;
    if (!isCount(passed) || !isCount(failed) || !isCount(total)) return null;
    return { kind: 'summary', summary: { passed, failed, total } };
  }

  const { id, title, status, message, durationMs } = data;
  if (typeof id !== 'string' || typeof title !== 'string') return null;
  if (typeof status !== 'string' || !checkStatuses.includes(status)) return null;
  return {
    kind: 'result',
    result: {
      id,
      title,
      status: status as CheckStatus,
      message: typeof message === 'string' ? message : '',
      durationMs: typeof durationMs === 'number' && durationMs >= 0 ? durationMs : 0,
    },
  };
}

/** Streaming reader of check lines for one run. */
export function createCheckResultParser(nonce: string): {
  push(chunk: string): CheckLine[];
  end(): CheckLine[];
} {
  const lines = createLineSplitter();
  const parseAll = (complete: string[]): CheckLine[] =>
    complete.flatMap((line) => {
      const parsed = parseCheckLine(nonce, line);
      return parsed === null ? [] : [parsed];
    });
  return {
    push: (chunk) => parseAll(lines.push(chunk)),
    end: () => parseAll(lines.end()),
  };
}

/** Everything one finished run reported. `summary` is null if the run died before the end. */
export function parseCheckOutput(
  nonce: string,
  chunks: Iterable<string>,
): { results: CheckResult[]; summary: CheckSummary | null } {
  const parser = createCheckResultParser(nonce);
  const all: CheckLine[] = [];
  for (const chunk of chunks) all.push(...parser.push(chunk));
  all.push(...parser.end());
  const results: CheckResult[] = [];
  let summary: CheckSummary | null = null;
  for (const line of all) {
    if (line.kind === 'result') results.push(line.result);
    else summary = line.summary;
  }
  return { results, summary };
}
