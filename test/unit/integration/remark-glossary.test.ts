import { describe, expect, it } from 'vitest';
import type { GlossaryEntry } from '../../../src/integration/glossary-catalog.ts';
import { linkGlossaryTerms } from '../../../src/integration/remark-glossary.ts';

const term = (id: string, name: string, aliases: string[] = []): GlossaryEntry => ({
  id,
  file: `content/glossary/${id}.md`,
  plain: `Definition of ${name}.`,
  data: { term: name, aliases, taughtIn: ['x'], related: [], autolink: true },
});

const ENTRIES = [
  term('session', 'session', ['sessions']),
  term('session-store', 'session store'),
  term('sticky-session', 'sticky session', ['sticky sessions']),
];

interface N {
  type: string;
  value?: string;
  name?: string;
  url?: string;
  children?: N[];
}
const text = (value: string): N => ({ type: 'text', value });
const paragraph = (...children: N[]): N => ({ type: 'paragraph', children });
const root = (...children: N[]): N => ({ type: 'root', children });

/** The linked ids and the plain text of the tree, to read results at a glance. */
function linksIn(tree: N): string[] {
  const out: string[] = [];
  const walk = (n: N): void => {
    if (n.type === 'link' && n.url?.startsWith('/glossary/')) {
      out.push(`${n.url.slice('/glossary/#'.length)}=${n.children?.[0]?.value ?? ''}`);
    }
    n.children?.forEach(walk);
  };
  walk(tree);
  return out;
}

describe('glossary links in lessons', () => {
  it('links only the first use of each term, preferring the longest spelling', () => {
    const tree = root(
      paragraph(text('A session store keeps every session; sessions outlive instances.')),
      paragraph(text('Sticky sessions pin a session to one instance.')),
    );
    linkGlossaryTerms(tree, ENTRIES);
    expect(linksIn(tree)).toEqual([
      'session-store=session store',
      'session=session',
      'sticky-session=Sticky sessions',
    ]);
  });

  it('keeps the surrounding text intact and adds the definition for the popover', () => {
    const tree = root(paragraph(text('Before session after.')));
    linkGlossaryTerms(tree, ENTRIES);
    const [before, wrapper, after] = tree.children?.[0]?.children ?? [];
    expect(before).toEqual(text('Before '));
    expect(after).toEqual(text(' after.'));
    expect(wrapper?.children?.[1]?.children?.[0]).toEqual(text('Definition of session.'));
  });

  it('never links inside headings, code, links or labs, and not parts of words', () => {
    const tree = root(
      { type: 'heading', children: [text('session')] },
      paragraph({ type: 'inlineCode', value: 'session' }, text(' sessionless '), {
        type: 'link',
        url: '/x',
        children: [text('session')],
      }),
      { type: 'mdxJsxFlowElement', name: 'Question', children: [paragraph(text('session'))] },
      { type: 'mdxJsxFlowElement', name: 'Callout', children: [paragraph(text('a session'))] },
    );
    linkGlossaryTerms(tree, ENTRIES);
    expect(linksIn(tree)).toEqual(['session=session']);
    // The one link is inside the Callout, the first place prose may carry it.
    expect(JSON.stringify(tree.children?.[3])).toContain('/glossary/#session');
  });
});
