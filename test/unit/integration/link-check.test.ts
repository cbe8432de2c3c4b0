import { describe, expect, it } from 'vitest';
import { findBrokenLinks, sourceFileFor } from '../../../src/integration/link-check.ts';

const page = (body: string): string => `<!doctype html><html><body>${body}</body></html>`;

function site(entries: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(entries).map(([path, body]) => [path, page(body)]));
}

describe('internal link check', () => {
  it('accepts links to built pages, their headings and files', () => {
    const pages = site({
      '/index.html': '<a href="/lessons/a/">A</a> <a href="/lessons/a/#why">why</a>',
      '/lessons/a/index.html': '<h2 id="why">Why</h2><a href="#why">up</a><a href="../b/">B</a>',
      '/lessons/b/index.html':
        '<a href="/sandboxes/x.json">lab</a> <a href="https://example.org/">out</a>',
    });
    expect(findBrokenLinks(pages, new Set(['/sandboxes/x.json']))).toEqual([]);
  });

  it('names a missing page, a missing anchor and a missing file', () => {
    const pages = site({
      '/lessons/a/index.html':
        '<a href="/lessons/nope/">x</a><a href="/lessons/b/#gone">y</a><a href="/sandboxes/z.json">z</a>',
      '/lessons/b/index.html': '<h2 id="here">Here</h2>',
    });
    expect(findBrokenLinks(pages, new Set())).toEqual([
      { page: '/lessons/a/', href: '/lessons/nope/', reason: 'no such page' },
      {
        page: '/lessons/a/',
        href: '/lessons/b/#gone',
        reason: 'no element with id "gone" on /lessons/b/',
      },
      { page: '/lessons/a/', href: '/sandboxes/z.json', reason: 'no such file' },
    ]);
  });

  it('says which glossary term has no entry', () => {
    const pages = site({
      '/lessons/a/index.html':
        '<a href="/glossary/#sticky-session">sticky</a><a href="/glossary/#unicorn">u</a>',
      '/glossary/index.html': '<dt id="sticky-session">Sticky session</dt>',
    });
    expect(findBrokenLinks(pages, new Set()).map((b) => b.reason)).toEqual([
      'the glossary has no term "unicorn" (add content/glossary/unicorn.md)',
    ]);
  });

  it('decodes entities and percent-encoding before comparing', () => {
    const pages = site({
      '/index.html': '<a href="/lessons/a/?x=1&amp;y=2#caf%C3%A9">x</a>',
      '/lessons/a/index.html': '<h2 id="café">Café</h2>',
    });
    expect(findBrokenLinks(pages, new Set())).toEqual([]);
  });

  it('points a lesson page back at its MDX file', () => {
    const root = new URL('../../../', import.meta.url).pathname;
    expect(sourceFileFor('/lessons/how-this-course-works/', root)).toBe(
      'content/lessons/00-how-this-course-works.mdx',
    );
    expect(sourceFileFor('/', root)).toBe('the page /');
  });
});
