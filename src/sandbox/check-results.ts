/**
 * Reads the two kinds of marked lines that sandbox processes print, from a stream of text chunks.
 *
 *   @@svs-check <nonce> {json}   one per check result, then one summary (sandboxes/_kit/reporter.mjs)
 *   @@svs-event {json}           live traffic and instance state (sandboxes/_kit/balancer.mjs), and
 *                                the load generator's progress (sandboxes/_kit/load.mjs)
 *   @@svs-measure {json}         a learner's own number a lab records (sandboxes/_kit/measure.mjs)
 *
 * The markers themselves live in sandboxes/_kit/protocol.mjs, the one place the kit prints from.
 *
 * Check lines decide whether a lesson is complete, so only lines carrying this run's nonce count:
 * a learner's `console.log` that imitates a result line cannot know the nonce. Event lines only
 * drive a picture, so they carry no nonce.
 *
 * Isomorphic (no Node or DOM APIs) and tolerant: a line split across chunks is joined, and a line
 * that is malformed in any way is ignored rather than thrown at the page.
 */

import { EVENT_MARKER, MEASURE_MARKER } from './protocol.ts';
import { isEventLine, parseEventLine, type SandboxEvent } from './sandbox-events.ts';
import { isMeasureLine, parseMeasureLine, type Measurement } from './measure-lines.ts';

export { CHECK_MARKER, EVENT_MARKER, MEASURE_MARKER } from './protocol.ts';
export * from './check-lines.ts';
export * from './sandbox-events.ts';
export * from './measure-lines.ts';
export { createLineSplitter } from './output-lines.ts';

/**
 * Separates a process's output into what the terminal shows and the events the topology view
 * draws. A partial line is shown at once unless it could still become an event line (so prompts
 * without a newline appear immediately, yet a marked line split across chunks never leaks into the
 * terminal); `end` flushes whatever is left as text.
 */
export interface DemuxedOutput {
  text: string;
  events: SandboxEvent[];
  /** Measurement lines are hidden from the terminal too; the workspace stores them. */
  measurements: Measurement[];
}

export function createOutputDemuxer(): {
  push(chunk: string): DemuxedOutput;
  end(): DemuxedOutput;
} {
  let pending = '';
  // True once part of the current line went to the terminal: the rest of it is text, whatever it says.
  let lineStartedAsText = false;
  const couldBeMarked = (partial: string) =>
    [EVENT_MARKER, MEASURE_MARKER].some(
      (marker) => partial.startsWith(marker) || marker.startsWith(partial),
    );
  return {
    push(chunk) {
      let text = '';
      const events: SandboxEvent[] = [];
      const measurements: Measurement[] = [];
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const startedAsText = lineStartedAsText;
        lineStartedAsText = false;
        if (!startedAsText && isEventLine(line)) {
          const event = parseEventLine(line);
          if (event !== null) events.push(event);
        } else if (!startedAsText && isMeasureLine(line)) {
          const measurement = parseMeasureLine(line);
          if (measurement !== null) measurements.push(measurement);
        } else {
          text += `${line}\n`;
        }
      }
      if (pending !== '' && (lineStartedAsText || !couldBeMarked(pending))) {
        text += pending;
        pending = '';
        lineStartedAsText = true;
      }
      return { text, events, measurements };
    },
    end() {
      const text = pending;
      pending = '';
      lineStartedAsText = false;
      return { text, events: [], measurements: [] };
    },
  };
}
