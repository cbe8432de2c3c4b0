/**
 * The reference numbers the course shows beside each learner's own (src/data/course-numbers.json,
 * written by `npm run bench:course-numbers`, never by hand). Each id is a measurement a lab records
 * with _kit/measure.mjs; the bench runs the lab's starter (the broken design) and its solution and
 * keeps what each printed.
 */

export interface ReferenceNumber {
  unit: string;
  /** The lab that measured it. */
  sandbox: string;
  /** What the starter measured (the design the lesson breaks), if it printed this id. */
  starter?: number;
  /** What the reference solution measured, if it printed this id. */
  solution?: number;
}

export interface CourseNumbers {
  /** ISO date of the bench run. */
  generatedAt: string;
  /** `process.version` of the bench run, since timings depend on it. */
  node: string;
  numbers: Record<string, ReferenceNumber>;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Validates the data file; throws a message naming the entry at fault (a build error). */
export function parseCourseNumbers(
  data: unknown,
  file = 'src/data/course-numbers.json',
): CourseNumbers {
  const fail = (what: string): never => {
    throw new Error(`${file}: ${what}. Regenerate it with \`npm run bench:course-numbers\`.`);
  };
  if (typeof data !== 'object' || data === null) return fail('not a JSON object');
  const { generatedAt, node, numbers } = data as Record<string, unknown>;
  if (typeof generatedAt !== 'string' || typeof node !== 'string') {
    return fail('"generatedAt" and "node" must be strings');
  }
  if (typeof numbers !== 'object' || numbers === null) return fail('"numbers" must be an object');
  const out: Record<string, ReferenceNumber> = {};
  for (const [id, raw] of Object.entries(numbers)) {
    const entry = raw as Record<string, unknown>;
    if (typeof entry?.['unit'] !== 'string' || typeof entry['sandbox'] !== 'string') {
      fail(`"${id}" needs a unit and a sandbox`);
    }
    const { unit, sandbox, starter, solution } = entry as Record<string, unknown>;
    if (
      (starter !== undefined && !isNumber(starter)) ||
      (solution !== undefined && !isNumber(solution))
    ) {
      fail(`"${id}": starter and solution must be numbers`);
    }
    out[id] = {
      unit: unit as string,
      sandbox: sandbox as string,
      ...(isNumber(starter) ? { starter } : {}),
      ...(isNumber(solution) ? { solution } : {}),
    };
  }
  return { generatedAt, node, numbers: out };
}
