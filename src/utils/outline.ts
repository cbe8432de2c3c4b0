/**
 * The course outline as plain data: lessons grouped into parts, with previous/next links.
 * Pure, so the sidebar, home page and tests share one definition of the course's order.
 */
import { parts, type PartId } from '../schemas/course.ts';

export interface OutlineLesson {
  /** URL slug without the NN- prefix; also the progress key. */
  slug: string;
  title: string;
  description: string;
  part: PartId;
  order: number;
  minutes: number;
  hasLab: boolean;
  /** The lab's folder under sandboxes/ (its saved edits are keyed by it); absent without a lab. */
  sandbox?: string;
  questionIds: string[];
}

export interface OutlinePart {
  id: PartId;
  title: string;
  lessons: OutlineLesson[];
}

export const lessonHref = (slug: string): string => `/lessons/${slug}/`;

/** "01-stateful-the-server-remembers" → "stateful-the-server-remembers". */
export const slugFromId = (id: string): string => id.replace(/^\d{2}-/, '');

/** Groups lessons by part in course order; parts without lessons are left out. */
export function groupByPart(lessons: readonly OutlineLesson[]): OutlinePart[] {
  const sorted = [...lessons].sort((a, b) => a.order - b.order);
  return parts
    .map((part) => ({
      id: part.id,
      title: part.title,
      lessons: sorted.filter((l) => l.part === part.id),
    }))
    .filter((part) => part.lessons.length > 0);
}

/** The lessons before and after `slug` in course order (across parts). */
export function neighbours(
  lessons: readonly OutlineLesson[],
  slug: string,
): { prev: OutlineLesson | undefined; next: OutlineLesson | undefined } {
  const flat = groupByPart(lessons).flatMap((p) => p.lessons);
  const index = flat.findIndex((l) => l.slug === slug);
  if (index === -1) return { prev: undefined, next: undefined };
  return { prev: flat[index - 1], next: flat[index + 1] };
}

/** Question ids a lesson's MDX declares, in order (`<Question id="…"`). */
export function questionIdsIn(mdx: string): string[] {
  return [...mdx.matchAll(/<Question\s[^>]*?\bid=["']([^"']+)["']/g)].map((m) => m[1] ?? '');
}
