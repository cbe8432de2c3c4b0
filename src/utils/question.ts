/**
 * Self-check questions: the props check that runs at build time and the grading that runs in the
 * browser. Pure, so both are unit-tested without a DOM.
 */

export interface QuestionOption {
  text: string;
  correct?: boolean;
  /** Why this option is right or wrong; shown once the learner has chosen it (or solved it). */
  why: string;
}

export interface QuestionProps {
  id: string;
  prompt: string;
  options: readonly QuestionOption[];
}

const nonEmpty = (value: unknown): value is string =>
  typeof value === 'string' && value.trim().length > 0;

/**
 * Throws an Error naming the question when a lesson author got its props wrong, so the build fails
 * at the question instead of shipping one that can't be answered. Returns the correct option's index.
 */
export function validateQuestion(props: QuestionProps): number {
  const name = nonEmpty(props.id) ? `Question "${props.id}"` : 'A <Question> without an id';
  const fail = (problem: string): never => {
    throw new Error(`${name}: ${problem}`);
  };
  if (!/^[a-z0-9][a-z0-9-]*$/.test(props.id ?? '')) {
    fail('`id` must be lowercase letters, digits and dashes, e.g. "q-cookie-flags".');
  }
  if (!nonEmpty(props.prompt)) fail('`prompt` is empty.');
  if (!Array.isArray(props.options) || props.options.length < 2) {
    fail('needs at least two `options`.');
  }
  props.options.forEach((option, index) => {
    if (!nonEmpty(option?.text)) fail(`option ${index + 1} has no \`text\`.`);
    if (!nonEmpty(option.why)) fail(`option ${index + 1} ("${option.text}") has no \`why\`.`);
  });
  const correct = props.options.flatMap((option, index) =>
    option.correct === true ? [index] : [],
  );
  if (correct.length !== 1) {
    fail(`exactly one option must have \`correct: true\` (found ${correct.length}).`);
  }
  return correct[0] as number;
}

export type Verdict = 'unanswered' | 'correct' | 'incorrect';

export interface Grade {
  verdict: Verdict;
  /** Options whose explanation is now shown: every one tried so far, all of them once solved. */
  revealed: number[];
  /** Options tried so far, in order, without repeats (carry it to the next check). */
  tried: number[];
  /** A short sentence for the question's live status line. */
  message: string;
}

/**
 * Grades one "Check answer" press. A wrong answer reveals why it's wrong and leaves the learner
 * free to try another; the right answer reveals every option's explanation.
 */
export function gradeAnswer(
  optionCount: number,
  correctIndex: number,
  chosen: number | null,
  triedBefore: readonly number[] = [],
): Grade {
  const valid = chosen !== null && Number.isInteger(chosen) && chosen >= 0 && chosen < optionCount;
  if (!valid) {
    return {
      verdict: 'unanswered',
      revealed: [...triedBefore],
      tried: [...triedBefore],
      message: 'Choose an answer first.',
    };
  }
  const tried = triedBefore.includes(chosen) ? [...triedBefore] : [...triedBefore, chosen];
  if (chosen === correctIndex) {
    return {
      verdict: 'correct',
      revealed: Array.from({ length: optionCount }, (_, index) => index),
      tried,
      message: 'Correct. The explanations for every option are shown below each one.',
    };
  }
  return {
    verdict: 'incorrect',
    revealed: tried,
    tried,
    message: 'Not quite. Read why below your answer, then try another one.',
  };
}
