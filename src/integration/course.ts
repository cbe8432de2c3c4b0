/**
 * The course's build-time integration: fails fast on bad lessons (before Astro's own content
 * sync, so the message names the file and every problem at once) and precompresses the built site
 * so `npm start` can serve gzip and brotli without compressing on every request.
 */
import type { AstroIntegration } from 'astro';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILD_STAMP } from '../utils/build-stamp.ts';
import { loadLessonCatalog } from './lesson-catalog.ts';
import { precompressDirectory } from './precompress.ts';

export default function course(): AstroIntegration {
  let root = process.cwd();
  return {
    name: 'svs-course',
    hooks: {
      'astro:config:setup': ({ config }) => {
        root = fileURLToPath(config.root);
        loadLessonCatalog(root);
      },
      'astro:build:done': async ({ dir, logger }) => {
        const out = fileURLToPath(dir);
        const stats = await precompressDirectory(out);
        logger.info(`precompressed ${stats.files} files (gzip + brotli)`);
        // Lets `npm start` tell a finished build from a stale or interrupted one.
        await writeFile(join(out, BUILD_STAMP), new Date().toISOString());
      },
    },
  };
}
