/**
 * The stdout protocol, as the course's TypeScript sees it: the very constants the kit prints with
 * (sandboxes/_kit/protocol.mjs), so the page, the grader and the kit cannot drift apart.
 * Pure: safe in the browser and in Node.
 */
export {
  CHECK_MARKER,
  EVENT_MARKER,
  MEASURE_MARKER,
  NONCE_ENV,
} from '../../sandboxes/_kit/protocol.mjs';
