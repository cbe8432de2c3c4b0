/**
 * Every cap the local runner enforces, in one place so the numbers are easy to find and document.
 * The runner executes arbitrary learner code on the learner's machine; these caps keep a runaway
 * sandbox (an endless loop, an output flood, a huge paste) from taking the machine down with it.
 */
export interface RunnerLimits {
  /** Largest accepted control-API request body, in bytes. */
  maxBodyBytes: number;
  /** Most files in one mount. */
  maxFiles: number;
  /** Largest single file, in bytes (UTF-8). */
  maxFileBytes: number;
  /** Most path segments in a file path (`a/b/c.js` has 3). */
  maxPathDepth: number;
  /** Longest file path, in characters. */
  maxPathLength: number;
  /** Most bytes the page may write into one sandbox, all files together (what sandbox code writes is not counted). */
  maxSandboxBytes: number;
  /** Most bytes of stdin buffered for one process that does not read it. */
  maxStdinBytes: number;
  /** Output bytes kept per process; the rest is dropped after a visible marker line. */
  maxOutputBytes: number;
  /** Default run time for a process before it is killed. */
  serverDeadlineMs: number;
  /** Default run time for a one-shot task such as `node --test` (checks). */
  taskDeadlineMs: number;
  /** Longest run time a spawn request may ask for. */
  maxDeadlineMs: number;
  /** Most processes alive at once for one page, and across the whole runner. */
  maxProcessesPerPage: number;
  maxProcessesTotal: number;
  /** Most extra ports one spawn may ask for (a load balancer's instances). */
  maxExtraPorts: number;
  /** How long a page's processes survive its event stream dropping, waiting for a reconnect. */
  pageGraceMs: number;
  /** How long the preview proxy waits for the learner's server to answer before a 504. */
  previewTimeoutMs: number;
  /** After this long without the server listening on PORT, a hint line is printed to its output. */
  readyHintMs: number;
}

export const DEFAULT_LIMITS: RunnerLimits = {
  maxBodyBytes: 2 * 1024 * 1024,
  maxFiles: 500,
  maxFileBytes: 512 * 1024,
  maxPathDepth: 12,
  maxPathLength: 240,
  maxSandboxBytes: 8 * 1024 * 1024,
  maxStdinBytes: 1024 * 1024,
  maxOutputBytes: 1024 * 1024,
  serverDeadlineMs: 10 * 60_000,
  taskDeadlineMs: 2 * 60_000,
  maxDeadlineMs: 30 * 60_000,
  maxProcessesPerPage: 8,
  maxProcessesTotal: 32,
  maxExtraPorts: 9,
  pageGraceMs: 5_000,
  previewTimeoutMs: 10_000,
  readyHintMs: 5_000,
};
