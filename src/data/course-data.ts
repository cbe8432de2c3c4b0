/**
 * Build-time lookups shared by the table and course-complete pages: which lesson tests an article
 * section, and the reference numbers from src/data/course-numbers.json when the bench script has
 * written it (the glob is empty until then, and every number reads "not measured yet").
 */
import type { LessonEntry } from './lessons.ts';
import { slugFromId } from '../utils/outline.ts';
import { referenceMeasurements } from '../utils/measurement-list.ts';
import type { TableRow } from './comparison.ts';
import type { Measurement } from '../utils/measurement-list.ts';

export interface ResolvedRow extends TableRow {
  lesson: { slug: string; title: string; hasLab: boolean } | null;
  reference: Measurement[];
}

const numberFiles = import.meta.glob('./course-numbers.json', { eager: true, import: 'default' });
export const courseNumbers: unknown = Object.values(numberFiles)[0] ?? null;

/** The lesson whose first article section is `section`, else any lesson that lists it. */
export function lessonForSection(entries: LessonEntry[], section: string): LessonEntry | undefined {
  return (
    entries.find((e) => e.data.seedSections[0] === section) ??
    entries.find((e) => (e.data.seedSections as string[]).includes(section))
  );
}

export function resolveRows(entries: LessonEntry[], rows: TableRow[]): ResolvedRow[] {
  return rows.map((row) => {
    const entry = lessonForSection(entries, row.section);
    const slug = entry ? slugFromId(entry.id) : null;
    return {
      ...row,
      lesson:
        entry && slug
          ? { slug, title: entry.data.title, hasLab: entry.data.sandbox !== undefined }
          : null,
      reference: slug ? referenceMeasurements(courseNumbers, slug, entry?.data.sandbox) : [],
    };
  });
}
