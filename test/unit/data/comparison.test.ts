import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import courseNumbers from '../../../src/data/course-numbers.json';
import { statefulBenefits, statelessBenefits, tableRows } from '../../../src/data/comparison.ts';
import { loadLessonCatalog } from '../../../src/integration/lesson-catalog.ts';
import { seedSectionIds } from '../../../src/schemas/course.ts';

const lessons = loadLessonCatalog(process.cwd());
const covered = new Set(lessons.flatMap((l) => l.data.seedSections));
const allRows = [...tableRows, ...statefulBenefits, ...statelessBenefits];
const measuredLabs = new Set(Object.values(courseNumbers.numbers).map((n) => n.sandbox));

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

  // The table shows, for every claim, the number its lab produced when the course was built; a lab
  // that records nothing leaves its rows at "not measured yet" for good.
  it.each(allRows.map((r) => [r.id, r.section]))(
    'row "%s" is tested by a lab that records a reference number',
    (_id, section) => {
      const lesson =
        lessons.find((l) => l.data.seedSections[0] === section) ??
        lessons.find((l) => (l.data.seedSections as string[]).includes(section));
      expect(lesson?.data.sandbox, `no lesson with a lab covers ${section}`).toBeDefined();
      expect([...measuredLabs]).toContain(lesson?.data.sandbox);
    },
  );

  it.each(lessons.filter((l) => l.data.order >= 6 && l.data.sandbox).map((l) => [l.file]))(
    '%s shows the number its lab records',
    (file) => {
      const text = readFileSync(path.join(process.cwd(), file), 'utf8');
      expect(text).toMatch(/<Measurement id="[a-z0-9-]+"/);
    },
  );
});
