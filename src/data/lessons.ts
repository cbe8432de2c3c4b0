/**
 * Reads the lesson collection once per build and turns it into outline data. Astro-only (it uses
 * astro:content); pure helpers live in outline.ts.
 */
import { getCollection, type CollectionEntry } from 'astro:content';
import { questionIdsIn, slugFromId, type OutlineLesson } from '../utils/outline.ts';

export type LessonEntry = CollectionEntry<'lessons'>;

export function toOutlineLesson(entry: LessonEntry): OutlineLesson {
  return {
    slug: slugFromId(entry.id),
    title: entry.data.title,
    description: entry.data.description,
    part: entry.data.part,
    order: entry.data.order,
    minutes: entry.data.minutes,
    hasLab: entry.data.sandbox !== undefined,
    ...(entry.data.sandbox !== undefined && { sandbox: entry.data.sandbox }),
    questionIds: questionIdsIn(entry.body ?? ''),
  };
}

export async function getLessons(): Promise<{ entries: LessonEntry[]; outline: OutlineLesson[] }> {
  const entries = (await getCollection('lessons')).sort((a, b) => a.data.order - b.data.order);
  return { entries, outline: entries.map(toOutlineLesson) };
}
