// @ts-check
import mdx from '@astrojs/mdx';
import sitemap from '@astrojs/sitemap';
import { defineConfig } from 'astro/config';
import course from './src/integration/course.ts';
import runnerDev from './src/integration/runner-dev.ts';
import { codeThemes } from './src/utils/code-themes.ts';
import { ISOLATION_HEADERS } from './src/utils/site-headers.ts';

/** Headers every page needs so WebContainers can boot (SharedArrayBuffer needs isolation). */
const isolationHeaders = ISOLATION_HEADERS;

export default defineConfig({
  // Where the course is published (SITE_URL=https://… npm run build): pages then name their
  // canonical URL. Without it the sitemap points at the local server.
  site: process.env['SITE_URL'] || 'http://127.0.0.1:4321',
  trailingSlash: 'ignore',
  build: { format: 'directory' },
  integrations: [
    course(),
    mdx(),
    sitemap({ filter: (page) => !page.endsWith('/404/') }),
    runnerDev(),
  ],
  markdown: {
    shikiConfig: {
      // Both themes are emitted as CSS variables; the stylesheet picks one per data-theme,
      // so code blocks switch with the page and no highlighting JS ships.
      themes: codeThemes,
      defaultColor: false,
      wrap: false,
    },
  },
  server: { host: '127.0.0.1', port: 4321, headers: isolationHeaders },
  vite: {
    server: { headers: isolationHeaders },
    // The lab's editor chunk (CodeMirror and friends) is big but loads only when a learner first
    // touches a lab; bench/workspace prints its size. The page-weight test guards first views.
    build: { chunkSizeWarningLimit: 700 },
  },
  devToolbar: { enabled: false },
});
