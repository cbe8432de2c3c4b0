/**
 * State of one Check run as the page shows it: a row per check, filled in as results arrive.
 * Rows for checks we expect (their titles are read from the check files at build time) appear at
 * once as "waiting"; when the run's deadline passes, every unfinished row becomes a timeout, so a
 * hung learner server reads as a failed check, never as a spinner that spins forever.
 */
import type { CheckResult, CheckStatus } from '../../sandbox/check-results.ts';

export type RowStatus = CheckStatus | 'waiting';

export interface CheckRow {
  title: string;
  status: RowStatus;
  message: string;
}

export interface CheckRunState {
  phase: 'running' | 'done';
  rows: CheckRow[];
  /** A message about the run as a whole (it could not start, it crashed, it timed out). */
  note: string;
}

export function startCheckRun(expectedTitles: readonly string[]): CheckRunState {
  const unique = [...new Set(expectedTitles)];
  return {
    phase: 'running',
    rows: unique.map((title) => ({ title, status: 'waiting', message: '' })),
    note: '',
  };
}

export function applyCheckResult(state: CheckRunState, result: CheckResult): CheckRunState {
  const row: CheckRow = { title: result.title, status: result.status, message: result.message };
  const index = state.rows.findIndex((r) => r.title === result.title);
  const rows =
    index === -1 ? [...state.rows, row] : state.rows.map((r, i) => (i === index ? row : r));
  return { ...state, rows };
}

export type RunEnding =
  /** `complete`: the reporter printed its summary, so every check that exists has reported. */
  | { kind: 'exited'; code: number; complete: boolean }
  | { kind: 'deadline'; seconds: number }
  | { kind: 'failed'; message: string };

export function finishCheckRun(state: CheckRunState, ending: RunEnding): CheckRunState {
  const unfinished =
    ending.kind === 'deadline'
      ? {
          status: 'timeout' as const,
          message: `Did not finish within the ${ending.seconds} s limit. Is a request hanging or a loop not ending?`,
        }
      : {
          status: 'error' as const,
          message: 'The check run ended before this check reported a result.',
        };
  const rows =
    ending.kind === 'exited' && ending.complete
      ? // Expected titles are read from the source and may not match a test that is skipped or
        // named dynamically; once the reporter says it's done, rows it never mentioned go.
        state.rows.filter((r) => r.status !== 'waiting')
      : state.rows.map((r) => (r.status === 'waiting' ? { ...r, ...unfinished } : r));
  let note = '';
  if (ending.kind === 'deadline') {
    note = `The checks were stopped after ${ending.seconds} s.`;
  } else if (ending.kind === 'failed') {
    note = `The checks could not run: ${ending.message}`;
  } else if (rows.length === 0) {
    note = `The checks reported no results (exit code ${ending.code}).`;
  }
  return { phase: 'done', rows, note };
}

export function passedTitles(state: CheckRunState): string[] {
  return state.rows.filter((r) => r.status === 'pass').map((r) => r.title);
}

export function allPassed(state: CheckRunState): boolean {
  return (
    state.phase === 'done' && state.rows.length > 0 && state.rows.every((r) => r.status === 'pass')
  );
}
