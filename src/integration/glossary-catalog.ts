/**
 * Reads every glossary entry before the build and checks what one file's schema cannot: a
 * definition is present, no term (or alias) is defined twice, related entries and lessons exist.
 * One message per problem, each naming the file, like the lesson catalog.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { describeManifestErrors } from '../schemas/sandbox.ts';
import { glossarySchema, type GlossaryFrontmatter } from '../schemas/glossary.ts';

export interface GlossaryEntry {
  id: string;
  file: string;
  data: GlossaryFrontmatter;
  /** The definition as plain text (markdown emphasis and links stripped), for popovers. */
  plain: string;
}

export class GlossaryError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `${problems.length} problem${problems.length === 1 ? '' : 's'} in the glossary:\n` +
        problems.map((p) => `  - ${p}`).join('\n'),
    );
    this.name = 'GlossaryError';
  }
}

const FRONTMATTER = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/;

/** Markdown to one line of plain text: enough for a tooltip, not a renderer. */
export function plainText(markdown: string): string {
  return markdown
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[`*_]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface GlossarySource {
  file: string;
  text: string;
}

/** Pure: validates sources against the lesson slugs that exist; throws GlossaryError. */
export function buildGlossary(
  sources: readonly GlossarySource[],
  lessonSlugs: ReadonlySet<string>,
): GlossaryEntry[] {
  const problems: string[] = [];
  const entries: GlossaryEntry[] = [];
  for (const { file, text } of sources) {
    const id = file.replace(/^.*\//, '').replace(/\.md$/, '');
    const match = FRONTMATTER.exec(text);
    if (!match) {
      problems.push(`${file}: starts without a --- frontmatter block`);
      continue;
    }
    let raw: unknown;
    try {
      raw = parseYaml(match[1] ?? '');
    } catch (error) {
      problems.push(`${file}: frontmatter is not valid YAML (${(error as Error).message})`);
      continue;
    }
    const parsed = glossarySchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(`${file}:\n${describeManifestErrors(parsed.error)}`);
      continue;
    }
    const body = text.slice(match[0].length).trim();
    if (body.length < 20) {
      problems.push(`${file}: the definition is missing (write it below the frontmatter)`);
      continue;
    }
    if (!/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(id)) {
      problems.push(`${file}: name the file in lowercase words joined by dashes`);
      continue;
    }
    entries.push({ id, file, data: parsed.data, plain: plainText(body) });
  }

  const owners = new Map<string, string>();
  const ids = new Set(entries.map((e) => e.id));
  for (const entry of entries) {
    for (const name of [entry.data.term, ...entry.data.aliases]) {
      const key = name.toLowerCase();
      const owner = owners.get(key);
      if (owner) problems.push(`${entry.file}: "${name}" is already defined by ${owner}`);
      else owners.set(key, entry.file);
    }
    for (const related of entry.data.related) {
      if (!ids.has(related))
        problems.push(`${entry.file}: related entry "${related}" does not exist`);
    }
    for (const slug of entry.data.taughtIn) {
      if (!lessonSlugs.has(slug)) {
        problems.push(`${entry.file}: taughtIn names "${slug}", which is not a lesson slug`);
      }
    }
  }
  if (problems.length > 0) throw new GlossaryError(problems);
  return entries.sort((a, b) => a.data.term.localeCompare(b.data.term));
}

/** Reads content/glossary/*.md and content/lessons/*.mdx under `root`. */
export function loadGlossary(root: string): GlossaryEntry[] {
  const dir = join(root, 'content', 'glossary');
  const lessonsDir = join(root, 'content', 'lessons');
  const lessonSlugs = new Set(
    existsSync(lessonsDir)
      ? readdirSync(lessonsDir)
          .filter((f) => f.endsWith('.mdx'))
          .map((f) => f.replace(/^\d{2}-/, '').replace(/\.mdx$/, ''))
      : [],
  );
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.md')) : [];
  const sources = files.map((f) => ({
    file: `content/glossary/${f}`,
    text: readFileSync(join(dir, f), 'utf8'),
  }));
  return buildGlossary(sources, lessonSlugs);
}
