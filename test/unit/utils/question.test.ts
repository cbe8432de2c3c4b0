import { describe, expect, it } from 'vitest';
import { gradeAnswer, validateQuestion, type QuestionProps } from '../../../src/utils/question.ts';

const trueFalse: QuestionProps = {
  id: 'q-tf',
  prompt: 'True or false: a JWT is encrypted.',
  options: [
    { text: 'True', why: 'It is signed, not encrypted.' },
    { text: 'False', correct: true, why: 'Anyone can base64-decode the payload.' },
  ],
};

describe('validateQuestion (build time)', () => {
  it('accepts a true/false question and returns the correct option', () => {
    expect(validateQuestion(trueFalse)).toBe(1);
  });

  it('refuses no correct option, naming the question', () => {
    const props = {
      ...trueFalse,
      options: trueFalse.options.map(({ text, why }) => ({ text, why })),
    };
    expect(() => validateQuestion(props)).toThrow(/Question "q-tf": exactly one .* \(found 0\)/);
  });

  it('refuses two correct options', () => {
    const props = {
      ...trueFalse,
      options: trueFalse.options.map((option) => ({ ...option, correct: true })),
    };
    expect(() => validateQuestion(props)).toThrow(/"q-tf".*found 2/);
  });

  it('refuses a missing explanation, a single option, an empty prompt and a bad id', () => {
    const noWhy = {
      ...trueFalse,
      options: [trueFalse.options[0]!, { text: 'False', correct: true, why: ' ' }],
    };
    expect(() => validateQuestion(noWhy)).toThrow(/"q-tf": option 2 \("False"\) has no `why`/);
    expect(() => validateQuestion({ ...trueFalse, options: [trueFalse.options[1]!] })).toThrow(
      /at least two/,
    );
    expect(() => validateQuestion({ ...trueFalse, prompt: '' })).toThrow(
      /"q-tf": `prompt` is empty/,
    );
    expect(() => validateQuestion({ ...trueFalse, id: 'Q 1' })).toThrow(/"Q 1": `id` must be/);
  });
});

describe('gradeAnswer (in the browser)', () => {
  it('asks for a choice when none is selected, revealing nothing new', () => {
    const grade = gradeAnswer(3, 0, null, [2]);
    expect(grade).toMatchObject({ verdict: 'unanswered', revealed: [2], tried: [2] });
    expect(grade.message).toMatch(/Choose an answer/);
  });

  it('a wrong answer reveals only the explanations of answers tried so far', () => {
    const first = gradeAnswer(3, 0, 2);
    expect(first).toMatchObject({ verdict: 'incorrect', revealed: [2], tried: [2] });
    const second = gradeAnswer(3, 0, 1, first.tried);
    expect(second).toMatchObject({ verdict: 'incorrect', revealed: [2, 1], tried: [2, 1] });
    expect(gradeAnswer(3, 0, 1, second.tried).tried).toEqual([2, 1]);
  });

  it('the right answer reveals every explanation', () => {
    const grade = gradeAnswer(4, 3, 3, [0]);
    expect(grade).toMatchObject({ verdict: 'correct', revealed: [0, 1, 2, 3], tried: [0, 3] });
    expect(grade.message).toMatch(/^Correct/);
  });

  it('ignores an out-of-range choice', () => {
    expect(gradeAnswer(2, 1, 5).verdict).toBe('unanswered');
  });
});
