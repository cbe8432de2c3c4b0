/**
 * Builds the Pagefind search index over the finished pages, into dist/pagefind/. The browser
 * loads it only when a learner opens search, so it costs nothing on a page's first view.
 *
 * Pages opt in with `data-pagefind-body` (lessons, the glossary, the table). Inside them, code and
 * the labs are not prose: a learner searching "session" wants the paragraph that explains it,
 * not a line of starter code or a check's title.
 */
import { join } from 'node:path';
import { close, createIndex } from 'pagefind';

export const SEARCH_EXCLUDES = [
  'pre',
  '.sbx',
  // The phone-only 'Jump to the lab' link sits outside the lab and would end up in excerpts.
  '.sbx-jump',
  'svg',
  '.lesson__toc-mobile',
  '[data-pagefind-ignore]',
];

export async function buildSearchIndex(outDir: string): Promise<{ pages: number }> {
  const { index, errors } = await createIndex({
    excludeSelectors: SEARCH_EXCLUDES,
    forceLanguage: 'en',
  });
  if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
  try {
    const added = await index.addDirectory({ path: outDir });
    if (added.errors.length > 0) throw new Error(`Pagefind: ${added.errors.join('; ')}`);
    const written = await index.writeFiles({ outputPath: join(outDir, 'pagefind') });
    if (written.errors.length > 0) throw new Error(`Pagefind: ${written.errors.join('; ')}`);
    return { pages: added.page_count };
  } finally {
    await close();
  }
}
