/**
 * The course's build-time integration: fails fast on bad lessons (before Astro's own content
 * sync, so the message names the file and every problem at once) and precompresses the built site
 * so `npm start` can serve gzip and brotli without compressing on every request. It also writes
 * the header files static hosts read (see deploy-headers.ts).
 */
import type { AstroIntegration } from 'astro';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_STAMP } from '../utils/build-stamp.ts';
import { writeDeployHeaders } from './deploy-headers.ts';
import { loadGlossary, type GlossaryEntry } from './glossary-catalog.ts';
import { loadLessonCatalog } from './lesson-catalog.ts';
import { remarkGlossary } from './remark-glossary.ts';
import { checkBuiltLinks } from './link-check.ts';
import { precompressDirectory } from './precompress.ts';
import { buildSearchIndex } from './search-index.ts';

export default function course(): AstroIntegration {
  let root = process.cwd();
  let glossary: GlossaryEntry[] = [];
  return {
    name: 'svs-course',
    hooks: {
      'astro:config:setup': ({ config, updateConfig }) => {
        root = fileURLToPath(config.root);
        loadLessonCatalog(root);
        glossary = loadGlossary(root);
        // MDX extends the Markdown config, so lessons get glossary links too.
        updateConfig({
          markdown: { remarkPlugins: [[remarkGlossary, { getEntries: () => glossary }]] },
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const out = fileURLToPath(dir);
        const checked = await checkBuiltLinks(out, root);
        logger.info(`checked the internal links of ${checked} pages`);
        await writeDeployHeaders(out);
        const search = await buildSearchIndex(out);
        logger.info(`indexed ${search.pages} pages for search`);
        logger.info('wrote _headers and vercel.json for static hosts');
        const stats = await precompressDirectory(out);
        logger.info(`precompressed ${stats.files} files (gzip + brotli)`);
        // Lets `npm start` tell a finished build from a stale or interrupted one.
        await writeFile(join(out, BUILD_STAMP), new Date().toISOString());
      },
    },
  };
}
