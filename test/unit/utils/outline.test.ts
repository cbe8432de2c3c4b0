import { describe, expect, it } from 'vitest';
import {
  groupByPart,
  neighbours,
  questionIdsIn,
  slugFromId,
  type OutlineLesson,
} from '../../../src/utils/outline.ts';

const lesson = (order: number, part: OutlineLesson['part']): OutlineLesson => ({
  slug: `l${order}`,
  title: `Lesson ${order}`,
  description: '',
  part,
  order,
  minutes: 5,
  hasLab: false,
  questionIds: [],
});

describe('course outline', () => {
  const lessons = [lesson(4, 'trade-offs'), lesson(0, 'start'), lesson(1, 'foundations')];

  it('groups lessons by part in course order and drops empty parts', () => {
    const grouped = groupByPart(lessons);
    expect(grouped.map((p) => p.id)).toEqual(['start', 'foundations', 'trade-offs']);
    expect(grouped.flatMap((p) => p.lessons.map((l) => l.order))).toEqual([0, 1, 4]);
  });

  it('links previous and next across parts', () => {
    expect(neighbours(lessons, 'l1').prev?.slug).toBe('l0');
    expect(neighbours(lessons, 'l1').next?.slug).toBe('l4');
    expect(neighbours(lessons, 'l0').prev).toBeUndefined();
    expect(neighbours(lessons, 'l4').next).toBeUndefined();
  });

  it('strips the order prefix from collection ids', () => {
    expect(slugFromId('07-fault-tolerance')).toBe('fault-tolerance');
  });

  it('finds the question ids a lesson declares', () => {
    const mdx = '<Question id="q-one" prompt="x" />\n<Question\n  prompt="y"\n  id=\'q-two\' />';
    expect(questionIdsIn(mdx)).toEqual(['q-one', 'q-two']);
  });
});
