/**
 * After the build: every internal link and every `#anchor` on every page must resolve to a built
 * page and an element id on it. A lesson that links a missing page, a renamed heading or a
 * glossary term with no entry fails the build with the lesson's file name, instead of shipping a
 * link that lands nowhere.
 */
import { existsSync, readdirSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** Built files that are not pages but are linked to; they only have to exist. */
const NON_PAGE = /\.(json|xml|txt|svg|png|ico|js|css|webmanifest)$/;

export interface BrokenLink {
  /** The page's URL path, e.g. "/lessons/a-server-side-shopping-cart/". */
  page: string;
  href: string;
  reason: string;
}

function decodeEntities(value: string): string {
  return value
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#x27;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
}

/** Astro writes attributes double-quoted, so a plain scan is enough and stays dependency-free. */
export function collectIds(html: string): Set<string> {
  const ids = new Set<string>();
  for (const match of html.matchAll(/\sid="([^"]*)"/g)) ids.add(decodeEntities(match[1] ?? ''));
  return ids;
}

export function collectHrefs(html: string): string[] {
  const hrefs: string[] = [];
  for (const match of html.matchAll(/<a\s[^>]*?\bhref="([^"]*)"/g)) {
    hrefs.push(decodeEntities(match[1] ?? ''));
  }
  return hrefs;
}

/** "/lessons/x/" → "/lessons/x/index.html"; "/404" → "/404.html"; "/a.json" stays. */
function pageFileFor(pathname: string, pages: ReadonlyMap<string, string>): string | null {
  const candidates = pathname.endsWith('/')
    ? [`${pathname}index.html`]
    : [pathname, `${pathname}/index.html`, `${pathname}.html`];
  return candidates.find((c) => pages.has(c)) ?? null;
}

/**
 * `pages` maps each built file's URL path ("/index.html", "/lessons/x/index.html") to its HTML;
 * `otherFiles` holds the URL paths of every other built file.
 */
export function findBrokenLinks(
  pages: ReadonlyMap<string, string>,
  otherFiles: ReadonlySet<string>,
): BrokenLink[] {
  const idsByPage = new Map<string, Set<string>>();
  const idsOf = (file: string): Set<string> => {
    let ids = idsByPage.get(file);
    if (!ids) {
      ids = collectIds(pages.get(file) ?? '');
      idsByPage.set(file, ids);
    }
    return ids;
  };

  const broken: BrokenLink[] = [];
  for (const [file, html] of pages) {
    const page = file.replace(/index\.html$/, '').replace(/\.html$/, '');
    for (const href of collectHrefs(html)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue; // other sites
      const url = new URL(href, `http://course.invalid${page}`);
      const pathname = decodeURIComponent(url.pathname);
      const hash = decodeURIComponent(url.hash.slice(1));
      if (NON_PAGE.test(pathname)) {
        if (!otherFiles.has(pathname)) broken.push({ page, href, reason: 'no such file' });
        continue;
      }
      const target = pageFileFor(pathname, pages);
      if (!target) {
        broken.push({ page, href, reason: 'no such page' });
        continue;
      }
      if (hash && !idsOf(target).has(hash)) {
        const reason = pathname.startsWith('/glossary')
          ? `the glossary has no term "${hash}" (add content/glossary/${hash}.md)`
          : `no element with id "${hash}" on ${pathname}`;
        broken.push({ page, href, reason });
      }
    }
  }
  return broken;
}

/** The file an author edits to fix a link on a built page. */
export function sourceFileFor(page: string, root: string): string {
  const lesson = /^\/lessons\/([^/]+)\/$/.exec(page);
  const lessonsDir = join(root, 'content', 'lessons');
  if (lesson && existsSync(lessonsDir)) {
    // Lesson URLs drop the file's "NN-" order prefix.
    const name = readdirSync(lessonsDir).find(
      (f) => f.replace(/^\d{2}-/, '') === `${lesson[1]}.mdx`,
    );
    if (name) return join('content', 'lessons', name);
  }
  return `the page ${page}`;
}

async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield path;
  }
}

/** Reads the build and throws one error listing every broken link, each with its source file. */
export async function checkBuiltLinks(outDir: string, root: string): Promise<number> {
  const pages = new Map<string, string>();
  const otherFiles = new Set<string>();
  for await (const path of walk(outDir)) {
    const urlPath = `/${relative(outDir, path).split(sep).join('/')}`;
    if (urlPath.endsWith('.html')) pages.set(urlPath, await readFile(path, 'utf8'));
    else otherFiles.add(urlPath);
  }
  const broken = findBrokenLinks(pages, otherFiles);
  if (broken.length > 0) {
    const lines = broken.map((b) => `  - ${sourceFileFor(b.page, root)}: ${b.href} (${b.reason})`);
    throw new Error(`Broken internal links:\n${lines.join('\n')}`);
  }
  return pages.size;
}
