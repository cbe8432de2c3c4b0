/**
 * Reads every lesson's frontmatter and checks what a single-file schema cannot: unique orders,
 * file names that match their order, sandboxes that exist. Runs before Astro syncs content so a
 * bad lesson fails the build with one message per problem, each naming the file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { ZodIssue } from 'zod';
import { lessonSchema, type LessonFrontmatter } from '../schemas/lesson.ts';
import { seedSectionIds } from '../schemas/course.ts';

export const LESSON_FILE_PATTERN = /^(\d{2})-[a-z0-9]+(?:-[a-z0-9]+)*\.mdx$/;

export interface LessonSource {
  /** Path shown in messages, relative to the project root (content/lessons/01-x.mdx). */
  file: string;
  /** The raw file text. */
  text: string;
}

export interface CatalogEntry {
  file: string;
  slug: string;
  data: LessonFrontmatter;
}

export class LessonCatalogError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the lessons:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'LessonCatalogError';
    this.problems = problems;
  }
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/;

function describeIssue(issue: ZodIssue): string {
  const where = issue.path.length > 0 ? issue.path.join('.') : 'frontmatter';
  if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    return `${where} is missing (expected ${issue.expected})`;
  }
  if (issue.code === 'invalid_enum_value') {
    const known = issue.options.map(String);
    // seed sections are a long list; name them all so the author can pick the right one.
    const hint =
      issue.path[0] === 'seedSections'
        ? `unknown seed section "${String(issue.received)}"; known sections: ${seedSectionIds.join(', ')}`
        : `"${String(issue.received)}" is not one of ${known.join(', ')}`;
    return `${where}: ${hint}`;
  }
  if (issue.code === 'unrecognized_keys') {
    return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.join(', ')} (check the spelling against src/schemas/lesson.ts)`;
  }
  return `${where}: ${issue.message}`;
}

/**
 * SVG presentation attributes written React-style (strokeWidth) are passed through unchanged by
 * Astro's MDX renderer, and browsers ignore them: the diagram silently loses its styling. Name the
 * right spelling instead. (viewBox, refX and friends really are camelCase in SVG.)
 */
const REACT_STYLE_SVG_ATTRIBUTE =
  /\b(stroke|fill|font|text|marker|dominant|alignment|letter|word|clip|stop|color)([A-Z][a-z]+)+=/g;

/** Attributes SVG itself spells in camelCase; they match the pattern but are right as written. */
const CAMEL_CASE_IN_SVG = new Set([
  'markerWidth',
  'markerHeight',
  'markerUnits',
  'textLength',
  'clipPathUnits',
]);

function reactStyleSvgAttributes(source: LessonSource): string[] {
  const found = new Set<string>();
  for (const match of source.text.matchAll(REACT_STYLE_SVG_ATTRIBUTE)) {
    const name = match[0].slice(0, -1);
    if (!CAMEL_CASE_IN_SVG.has(name)) found.add(name);
  }
  return [...found].map((name) => {
    const kebab = name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    return `${source.file}: write the SVG attribute ${name} as ${kebab} (MDX passes attribute names to the page unchanged)`;
  });
}

/** Parses one lesson's frontmatter; returns the data or the problems, each prefixed with the file. */
export function parseLesson(
  source: LessonSource,
): { ok: true; entry: CatalogEntry } | { ok: false; problems: string[] } {
  const name = source.file.split('/').pop() ?? source.file;
  const nameMatch = LESSON_FILE_PATTERN.exec(name);
  if (!nameMatch) {
    return {
      ok: false,
      problems: [
        `${source.file}: the file name must look like NN-lowercase-slug.mdx (for example 07-fault-tolerance.mdx)`,
      ],
    };
  }
  const fm = FRONTMATTER.exec(source.text);
  if (!fm) {
    return {
      ok: false,
      problems: [`${source.file}: no frontmatter found (the file must start with a --- block)`],
    };
  }
  let raw: unknown;
  try {
    raw = parseYaml(fm[1] ?? '');
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, problems: [`${source.file}: frontmatter is not valid YAML: ${reason}`] };
  }
  const result = lessonSchema.safeParse(raw ?? {});
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((issue) => `${source.file}: ${describeIssue(issue)}`),
    };
  }
  const problems: string[] = [...reactStyleSvgAttributes(source)];
  const fileOrder = Number(nameMatch[1]);
  if (fileOrder !== result.data.order) {
    problems.push(
      `${source.file}: order is ${result.data.order} but the file name starts with ${nameMatch[1]}; make them agree`,
    );
  }
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    entry: { file: source.file, slug: name.replace(/\.mdx$/, ''), data: result.data },
  };
}

/**
 * Validates a whole set of lessons. `sandboxExists` is injected so tests need no sandbox folders.
 * Throws LessonCatalogError listing every problem; returns the entries in course order otherwise.
 */
export function validateLessons(
  sources: readonly LessonSource[],
  sandboxExists: (id: string) => boolean,
): CatalogEntry[] {
  const problems: string[] = [];
  const entries: CatalogEntry[] = [];
  for (const source of sources) {
    const parsed = parseLesson(source);
    if (parsed.ok) entries.push(parsed.entry);
    else problems.push(...parsed.problems);
  }
  const byOrder = new Map<number, string>();
  for (const entry of entries) {
    const other = byOrder.get(entry.data.order);
    if (other !== undefined) {
      problems.push(
        `${entry.file}: order ${entry.data.order} is already used by ${other}; each lesson needs its own`,
      );
    } else {
      byOrder.set(entry.data.order, entry.file);
    }
    const sandbox = entry.data.sandbox;
    if (sandbox !== undefined && !sandboxExists(sandbox)) {
      problems.push(
        `${entry.file}: sandbox "${sandbox}" has no folder sandboxes/${sandbox}/ (create it or fix the id)`,
      );
    }
  }
  if (sources.length === 0) problems.push('content/lessons/: no lessons found');
  if (problems.length > 0) throw new LessonCatalogError(problems);
  return entries.sort((a, b) => a.data.order - b.data.order);
}

/** Reads content/lessons/*.mdx under `root` and validates them against sandboxes/ under `root`. */
export function loadLessonCatalog(root: string): CatalogEntry[] {
  const dir = join(root, 'content', 'lessons');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.mdx') || f.endsWith('.md'))
        .sort()
    : [];
  const sources = files.map((f) => {
    const path = join(dir, f);
    return { file: relative(root, path).split('\\').join('/'), text: readFileSync(path, 'utf8') };
  });
  return validateLessons(sources, (id) => {
    const path = join(root, 'sandboxes', id);
    return existsSync(path) && statSync(path).isDirectory();
  });
}
