/**
 * The markers that tag machine-read lines in a sandbox process's output. One copy, shared by every
 * kit module that prints them and by the course page that reads them.
 *
 *   @@svs-check <nonce> {json}   a check result (the reporter)
 *   @@svs-event {json}           a state change or routed request (balancer, store, cache)
 *   @@svs-measure {json}         a figure a lab records for the learner (load generator)
 */
export const CHECK_MARKER = '@@svs-check';
export const EVENT_MARKER = '@@svs-event';
export const MEASURE_MARKER = '@@svs-measure';
