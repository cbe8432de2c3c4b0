/**
 * The stdout protocol between sandbox processes and whoever runs them (the page, `npm run grade`).
 * One module so the kit and the course's TypeScript read the same constants (src/sandbox/protocol.ts
 * re-exports them). Node built-ins only; nothing here runs anything.
 *
 *   @@svs-check <nonce> {json}   a check result or the summary (reporter.mjs); counts only with
 *                                this run's nonce, which lives in the env variable NONCE_ENV
 *   @@svs-event {json}           live traffic and state changes (balancer, store, cache) and the load
 *                                generator's progress (load.mjs), never graded
 *   @@svs-measure {json}         a learner's measurement a lab records (sessions lost, p50, …)
 */

export const CHECK_MARKER = '@@svs-check';
export const EVENT_MARKER = '@@svs-event';
export const MEASURE_MARKER = '@@svs-measure';

/** The env variable that carries the per-run nonce to the reporter, and to nothing else. */
export const NONCE_ENV = 'SVS_CHECK_NONCE';
