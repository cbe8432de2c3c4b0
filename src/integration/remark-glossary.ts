/**
 * Links the first use of each glossary term in a lesson to its entry, with the definition beside
 * the link for a popover. Done at build time so lessons stay plain prose: authors never mark terms
 * up by hand, and a new lesson is linked as soon as it exists.
 *
 * Only running prose is linked: never headings, code, existing links, or the text inside labs,
 * questions and diagrams, where a link would be noise or would break the component.
 */
import type { GlossaryEntry } from './glossary-catalog.ts';

interface Node {
  type: string;
  name?: string | null;
  value?: string;
  children?: Node[];
  data?: Record<string, unknown>;
}

interface VFileLike {
  path?: string;
  history?: string[];
}

const SKIP_NODES = new Set(['heading', 'link', 'linkReference', 'code', 'inlineCode', 'html']);
const SKIP_COMPONENTS = new Set([
  'Sandbox',
  'Question',
  'Figure',
  'SequenceDiagram',
  'Measurement',
]);

interface Matcher {
  entry: GlossaryEntry;
  pattern: RegExp;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function matchersFor(entries: readonly GlossaryEntry[]): Matcher[] {
  return entries
    .filter((entry) => entry.data.autolink)
    .map((entry) => {
      // Longest spelling first, so "session store" wins over "session" at the same place.
      const names = [entry.data.term, ...entry.data.aliases].sort((a, b) => b.length - a.length);
      const alternatives = names.map(escapeRegExp).join('|');
      return { entry, pattern: new RegExp(`(?<![\\w-])(?:${alternatives})(?![\\w-])`, 'i') };
    });
}

function termNode(entry: GlossaryEntry, text: string, tipId: string): Node {
  return {
    type: 'glossaryTerm',
    data: { hName: 'span', hProperties: { className: ['term'] } },
    children: [
      {
        type: 'link',
        // mdast links carry url/title; mdast-util-to-hast reads them from these fields.
        ...{ url: `/glossary/#${entry.id}`, title: null },
        data: { hProperties: { 'aria-describedby': tipId, dataTerm: entry.id } },
        children: [{ type: 'text', value: text }],
      } as Node,
      {
        type: 'glossaryTip',
        data: {
          hName: 'span',
          hProperties: {
            id: tipId,
            role: 'tooltip',
            className: ['term__tip'],
            dataPagefindIgnore: '',
          },
        },
        children: [{ type: 'text', value: entry.plain }],
      },
    ],
  };
}

/** Links first uses in one tree; returns the ids it linked, in order. */
export function linkGlossaryTerms(tree: Node, entries: readonly GlossaryEntry[]): string[] {
  const pending = matchersFor(entries);
  const linked: string[] = [];

  const visit = (parent: Node): void => {
    const children = parent.children;
    if (!children) return;
    for (let i = 0; i < children.length && pending.length > 0; i += 1) {
      const child = children[i] as Node;
      if (SKIP_NODES.has(child.type)) continue;
      if (child.type.startsWith('mdxJsx') && SKIP_COMPONENTS.has(child.name ?? '')) continue;
      if (child.type !== 'text') {
        visit(child);
        continue;
      }
      // The earliest match in this text among the terms not yet linked.
      let best: { matcher: Matcher; index: number; length: number } | null = null;
      for (const matcher of pending) {
        const found = matcher.pattern.exec(child.value ?? '');
        // Earliest wins; at the same place the longer term ("session store" over "session").
        const better =
          found &&
          (!best ||
            found.index < best.index ||
            (found.index === best.index && found[0].length > best.length));
        if (found && better) {
          best = { matcher, index: found.index, length: found[0].length };
        }
      }
      if (!best) continue;
      const value = child.value ?? '';
      const { entry } = best.matcher;
      pending.splice(pending.indexOf(best.matcher), 1);
      linked.push(entry.id);
      const before = value.slice(0, best.index);
      const word = value.slice(best.index, best.index + best.length);
      const after = value.slice(best.index + best.length);
      const replacement: Node[] = [];
      if (before) replacement.push({ type: 'text', value: before });
      replacement.push(termNode(entry, word, `term-${entry.id}`));
      if (after) replacement.push({ type: 'text', value: after });
      children.splice(i, 1, ...replacement);
      // Continue with the text after the link: it may hold the first use of another term.
      i += replacement.length - (after ? 2 : 1);
    }
  };
  visit(tree);
  return linked;
}

/** The remark plugin; `getEntries` is read per file so a dev-server edit to the glossary shows. */
export function remarkGlossary(options: { getEntries: () => readonly GlossaryEntry[] }) {
  return (tree: Node, file: VFileLike): void => {
    const path = file.path ?? file.history?.[0] ?? '';
    if (!/[\\/]content[\\/]lessons[\\/][^\\/]+\.mdx$/.test(path)) return;
    linkGlossaryTerms(tree, options.getEntries());
  };
}
