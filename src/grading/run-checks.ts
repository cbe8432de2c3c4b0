import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkCommand, checkFilesOf } from '../sandbox/assemble.ts';
import {
  createCheckResultParser,
  createMeasureParser,
  type CheckResult,
  type CheckSummary,
  type Measurement,
} from '../sandbox/check-results.ts';
import { CHECK_MARKER, NONCE_ENV } from '../sandbox/protocol.ts';
import { createLineSplitter } from '../sandbox/output-lines.ts';
import type { Files } from '../sandbox/types.ts';

/**
 * Runs a mounted tree's checks in plain Node, with the same command a runtime runs (Node only).
 * `nodeBinary` picks the Node line; the checks' own children inherit it through process.execPath.
 */

export interface RunOptions {
  deadlineMs?: number;
  /** Defaults to the Node running this process. */
  nodeBinary?: string;
  /**
   * End the run at the first check that does not pass. A mutant only has to be caught once, and
   * most of a grade's runs are mutants, so this is where `npm run grade` saves most of its time.
   */
  stopAtFirstFailure?: boolean;
}

export interface CheckRun {
  results: CheckResult[];
  /** Null when the run ended without the reporter's summary (killed, or the reporter crashed). */
  summary: CheckSummary | null;
  timedOut: boolean;
  /** Numbers the checks recorded with _kit/measure.mjs (bench/course-numbers.ts reads them). */
  measurements: Measurement[];
  /** True when `stopAtFirstFailure` ended the run (so there is no summary, by design). */
  stoppedEarly: boolean;
  exitCode: number | null;
  /** Everything printed that was not a trusted result line (for diagnosing a broken run). */
  output: string;
  ms: number;
}

const OUTPUT_LIMIT = 20_000;

async function writeTreeTo(dir: string, tree: Files): Promise<void> {
  for (const [relative, contents] of Object.entries(tree)) {
    const target = path.join(dir, ...relative.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, contents);
  }
}

/** A clean environment for the run: nothing from this process's test runner or loader leaks in. */
function checkEnv(nonce: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(env)) {
    if (key.startsWith('NODE_') || key.startsWith('VITEST') || key === 'TSX') delete env[key];
  }
  env[NONCE_ENV] = nonce;
  return env;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

export async function runChecks(
  tree: Files,
  {
    deadlineMs = 60_000,
    nodeBinary = process.execPath,
    stopAtFirstFailure = false,
  }: RunOptions = {},
): Promise<CheckRun> {
  const started = Date.now();
  const nonce = randomUUID();
  const dir = await mkdtemp(path.join(tmpdir(), 'svs-grade-'));
  try {
    await writeTreeTo(dir, tree);
    const [, ...args] = checkCommand(checkFilesOf(tree));
    // Its own process group, so the deadline ends the checks and every server they started.
    const child = spawn(nodeBinary, args, {
      cwd: dir,
      env: checkEnv(nonce),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const parser = createCheckResultParser(nonce);
    const results: CheckResult[] = [];
    let summary: CheckSummary | null = null;
    let output = '';
    const measures = createMeasureParser();
    const measurements: Measurement[] = [];
    let stoppedEarly = false;
    // What a person reading the run should see: everything but this run's own result lines. Cut
    // by line, not by chunk: under load one chunk often carries a result and a learner's print.
    const trusted = `${CHECK_MARKER} ${nonce} `;
    const outputLines = createLineSplitter();
    const keepOutput = (lines: string[], final = false) => {
      const kept = lines.filter((each) => !each.startsWith(trusted));
      if (kept.length === 0) return;
      output = (output + kept.join('\n') + (final ? '' : '\n')).slice(-OUTPUT_LIMIT);
    };
    const take = (lines: ReturnType<typeof parser.push>) => {
      for (const line of lines) {
        if (line.kind === 'result') results.push(line.result);
        else summary = line.summary;
        if (
          stopAtFirstFailure &&
          !stoppedEarly &&
          line.kind === 'result' &&
          line.result.status !== 'pass'
        ) {
          stoppedEarly = true;
          killGroup(child.pid);
        }
      }
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      take(parser.push(chunk));
      measurements.push(...measures.push(chunk));
      keepOutput(outputLines.push(chunk));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output = (output + chunk).slice(-OUTPUT_LIMIT);
    });

    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, deadlineMs);
    const exitCode = await new Promise<number | null>((resolve) => {
      child.once('error', () => resolve(null));
      child.once('close', (code) => resolve(code));
    });
    clearTimeout(timer);
    // Whatever the checks left behind (they should have stopped it themselves).
    killGroup(child.pid);
    take(parser.end());
    measurements.push(...measures.end());
    keepOutput(outputLines.end(), true);
    return {
      results,
      summary,
      timedOut,
      stoppedEarly,
      measurements,
      exitCode,
      output,
      ms: Date.now() - started,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
