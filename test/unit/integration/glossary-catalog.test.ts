import { describe, expect, it } from 'vitest';
import {
  buildGlossary,
  GlossaryError,
  loadGlossary,
} from '../../../src/integration/glossary-catalog.ts';

const lessons = new Set(['stateful-the-server-remembers', 'load-balancing']);
const entry = (
  file: string,
  frontmatter: string,
  body = 'A definition long enough to teach something.',
) => ({
  file: `content/glossary/${file}`,
  text: `---\n${frontmatter}\n---\n\n${body}\n`,
});

function problems(sources: Parameters<typeof buildGlossary>[0]): string[] {
  try {
    buildGlossary(sources, lessons);
    return [];
  } catch (error) {
    expect(error).toBeInstanceOf(GlossaryError);
    return (error as GlossaryError).problems;
  }
}

describe('glossary catalog', () => {
  it('accepts valid entries, sorted by term, with a plain-text definition for popovers', () => {
    const entries = buildGlossary(
      [
        entry(
          'sticky-session.md',
          'term: sticky session\ntaughtIn: [load-balancing]\nrelated: [cookie]',
          'Keeps a *client* on [one](/x) `instance`.',
        ),
        entry(
          'cookie.md',
          'term: cookie\naliases: [cookies]\ntaughtIn: [stateful-the-server-remembers]',
        ),
      ],
      lessons,
    );
    expect(entries.map((e) => e.id)).toEqual(['cookie', 'sticky-session']);
    expect(entries[1]?.plain).toBe('Keeps a client on one instance.');
  });

  it('names the file of an entry with no definition', () => {
    expect(problems([entry('drain.md', 'term: drain\ntaughtIn: [load-balancing]', '')])).toEqual([
      'content/glossary/drain.md: the definition is missing (write it below the frontmatter)',
    ]);
  });

  it('names both files when a term or alias is defined twice', () => {
    expect(
      problems([
        entry('session.md', 'term: session\ntaughtIn: [load-balancing]'),
        entry('sessions.md', 'term: Session\ntaughtIn: [load-balancing]'),
        entry('affinity.md', 'term: affinity\naliases: [cookie jar]\ntaughtIn: [load-balancing]'),
        entry('jar.md', 'term: cookie jar\ntaughtIn: [load-balancing]'),
      ]),
    ).toEqual([
      'content/glossary/sessions.md: "Session" is already defined by content/glossary/session.md',
      'content/glossary/jar.md: "cookie jar" is already defined by content/glossary/affinity.md',
    ]);
  });

  it('names unknown lessons, unknown related entries and schema mistakes', () => {
    const found = problems([
      entry('a.md', 'term: a term\ntaughtIn: [no-such-lesson]\nrelated: [missing]'),
      entry('b.md', 'term: b term\ntaughtin: [load-balancing]'),
      { file: 'content/glossary/c.md', text: 'no frontmatter here' },
    ]);
    expect(found).toEqual([
      expect.stringMatching(/^content\/glossary\/b\.md:\n.*taughtIn/s),
      'content/glossary/c.md: starts without a --- frontmatter block',
      'content/glossary/a.md: related entry "missing" does not exist',
      'content/glossary/a.md: taughtIn names "no-such-lesson", which is not a lesson slug',
    ]);
  });

  it('the course glossary loads cleanly and covers the terms the lessons rely on', () => {
    const root = new URL('../../../', import.meta.url).pathname;
    const ids = new Set(loadGlossary(root).map((e) => e.id));
    for (const id of [
      'session',
      'session-fixation',
      'sticky-session',
      'idempotency',
      'jwt-claim',
      'horizontal-scaling',
      'drain',
      'readiness',
      'consistent-hashing',
      'shared-cache',
      'vary',
    ]) {
      expect(ids, id).toContain(id);
    }
  });
});
