import { describe, expect, it } from 'vitest';
import {
  LessonCatalogError,
  validateLessons,
  type LessonSource,
} from '../../../src/integration/lesson-catalog.ts';

const good = (order: number, extra = ''): string => `---
title: A lesson title
description: A description that is long enough to pass the minimum length rule.
part: foundations
order: ${order}
seedSections: [what-is-stateful]
minutes: 10
objectives:
  - Explain something useful
${extra}---

Body.
`;

const file = (name: string, text: string): LessonSource => ({
  file: `content/lessons/${name}`,
  text,
});

/** Runs validation and returns the problem lines it threw (or [] when it passed). */
function problemsOf(sources: LessonSource[], sandboxes: string[] = []): string[] {
  try {
    validateLessons(sources, (id) => sandboxes.includes(id));
    return [];
  } catch (error) {
    if (error instanceof LessonCatalogError) return error.problems;
    throw error;
  }
}

describe('lesson validation', () => {
  it('accepts well-formed lessons and returns them in course order', () => {
    const entries = validateLessons(
      [file('02-b.mdx', good(2)), file('01-a.mdx', good(1, 'sandbox: lab-a\n'))],
      (id) => id === 'lab-a',
    );
    expect(entries.map((e) => e.slug)).toEqual(['01-a', '02-b']);
    expect(entries[0]?.data.sandbox).toBe('lab-a');
  });

  it('names the file and the field when a field is missing', () => {
    const text = good(3).replace(/^title: .*\n/m, '');
    expect(problemsOf([file('03-c.mdx', text)])).toEqual([
      'content/lessons/03-c.mdx: title is missing (expected string)',
    ]);
  });

  it('names the file when a field has the wrong type', () => {
    const text = good(4).replace('minutes: 10', 'minutes: ten');
    expect(problemsOf([file('04-d.mdx', text)])).toEqual([
      'content/lessons/04-d.mdx: minutes: Expected number, received string',
    ]);
  });

  it('rejects a misspelled field instead of ignoring it', () => {
    const text = good(5, 'sandobx: lab\n');
    expect(problemsOf([file('05-e.mdx', text)])).toEqual([
      'content/lessons/05-e.mdx: unknown field sandobx (check the spelling against src/schemas/lesson.ts)',
    ]);
  });

  it('names both files when two lessons share an order', () => {
    const problems = problemsOf([file('06-f.mdx', good(6)), file('06-g.mdx', good(6))]);
    expect(problems).toEqual([
      'content/lessons/06-g.mdx: order 6 is already used by content/lessons/06-f.mdx; each lesson needs its own',
    ]);
  });

  it('names the file when its sandbox folder does not exist', () => {
    const problems = problemsOf([file('07-h.mdx', good(7, 'sandbox: no-such-lab\n'))], ['other']);
    expect(problems).toEqual([
      'content/lessons/07-h.mdx: sandbox "no-such-lab" has no folder sandboxes/no-such-lab/ (create it or fix the id)',
    ]);
  });

  it('lists the known seed sections when one is unknown', () => {
    const text = good(8).replace('[what-is-stateful]', '[what-is-statefull]');
    const [problem] = problemsOf([file('08-i.mdx', text)]);
    expect(problem).toMatch(
      /^content\/lessons\/08-i\.mdx: seedSections\.0: unknown seed section "what-is-statefull"; known sections: intro, what-is-stateful, /,
    );
  });

  it('requires the file name number to match the order', () => {
    expect(problemsOf([file('09-j.mdx', good(10))])).toEqual([
      'content/lessons/09-j.mdx: order is 10 but the file name starts with 09; make them agree',
    ]);
  });

  it('reports YAML syntax errors with the file name', () => {
    const [problem] = problemsOf([file('11-k.mdx', '---\ntitle: [unclosed\n---\n')]);
    expect(problem).toMatch(/^content\/lessons\/11-k\.mdx: frontmatter is not valid YAML: /);
  });

  it('names React-style SVG attributes that browsers would ignore', () => {
    const text = `${good(14)}<svg viewBox="0 0 10 10"><marker markerWidth="4" markerHeight="4" /><text textAnchor="middle" strokeWidth="2" text-anchor="start">x</text></svg>\n`;
    expect(problemsOf([file('14-n.mdx', text)])).toEqual([
      'content/lessons/14-n.mdx: write the SVG attribute textAnchor as text-anchor (MDX passes attribute names to the page unchanged)',
      'content/lessons/14-n.mdx: write the SVG attribute strokeWidth as stroke-width (MDX passes attribute names to the page unchanged)',
    ]);
  });

  it('reports every problem at once, not just the first', () => {
    const problems = problemsOf([
      file('12-l.mdx', good(12).replace(/^part: .*\n/m, 'part: middle\n')),
      file('13-m.mdx', 'no frontmatter here'),
    ]);
    expect(problems).toEqual([
      'content/lessons/12-l.mdx: part: "middle" is not one of start, foundations, trade-offs, benefits, capstone',
      'content/lessons/13-m.mdx: no frontmatter found (the file must start with a --- block)',
    ]);
  });
});
