import { describe, expect, it } from 'vitest';
import { statefulBenefits, statelessBenefits, tableRows } from '../../../src/data/comparison.ts';
import { loadLessonCatalog } from '../../../src/integration/lesson-catalog.ts';
import { seedSectionIds } from '../../../src/schemas/course.ts';

const lessons = loadLessonCatalog(process.cwd());
const covered = new Set(lessons.flatMap((l) => l.data.seedSections));

describe('course coverage of the article', () => {
  it.each(seedSectionIds)('section "%s" is covered by at least one lesson', (id) => {
    expect(covered.has(id)).toBe(true);
  });

  it('the table page has one row per row of the article table', () => {
    const tableSections = seedSectionIds.filter((id) => id.startsWith('table-'));
    expect(tableRows.map((r) => r.section).sort()).toEqual([...tableSections].sort());
  });

  it('both benefit lists have the article four points each', () => {
    expect(statefulBenefits).toHaveLength(4);
    expect(statelessBenefits).toHaveLength(4);
    expect(new Set(statefulBenefits.map((r) => r.section))).toEqual(new Set(['benefits-stateful']));
    expect(new Set(statelessBenefits.map((r) => r.section))).toEqual(
      new Set(['benefits-stateless']),
    );
  });

  it('row ids are unique, so every row has its own anchor', () => {
    const ids = [...tableRows, ...statefulBenefits, ...statelessBenefits].map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
