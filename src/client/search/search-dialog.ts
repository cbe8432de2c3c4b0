/**
 * The search dialog, loaded on first use: a native modal <dialog> (focus stays inside, Escape
 * closes it, focus returns to the opener), an input, a polite status line and a list of links.
 * Arrow keys move between the input and the results; Enter follows a result to its heading.
 */
import './search.css';
import { excerptSegments } from './excerpt.ts';

interface PagefindSubResult {
  title: string;
  url: string;
  excerpt: string;
  locations?: number[];
}
interface PagefindData {
  url: string;
  excerpt: string;
  meta: { title?: string };
  sub_results?: PagefindSubResult[];
}
interface Pagefind {
  options(options: Record<string, unknown>): Promise<void>;
  debouncedSearch(
    query: string,
    options?: unknown,
    ms?: number,
  ): Promise<{
    results: { data(): Promise<PagefindData> }[];
  } | null>;
}

const MAX_RESULTS = 8;
/** Longer queries are typing accidents (a pasted paragraph); they find nothing. */
const MAX_QUERY = 200;
let pagefind: Promise<Pagefind> | null = null;

function loadPagefind(): Promise<Pagefind> {
  // A path Vite must not bundle: the index is written after the site is built.
  const url = '/pagefind/pagefind.js';
  pagefind ??= (import(/* @vite-ignore */ url) as Promise<Pagefind>).then(async (pf) => {
    await pf.options({ excerptLength: 24 });
    return pf;
  });
  pagefind.catch(() => {
    pagefind = null;
  });
  return pagefind;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function renderExcerpt(html: string): HTMLElement {
  const p = el('span', 'search__excerpt');
  for (const segment of excerptSegments(html)) {
    p.append(segment.marked ? el('mark', '', segment.text) : document.createTextNode(segment.text));
  }
  return p;
}

/** The section that best matches: the one with the most hits, else the page itself. */
function bestSection(data: PagefindData): PagefindSubResult {
  const sections = (data.sub_results ?? []).filter((s) => s.url !== data.url || s.title);
  const sorted = [...sections].sort(
    (a, b) => (b.locations?.length ?? 0) - (a.locations?.length ?? 0),
  );
  return sorted[0] ?? { title: '', url: data.url, excerpt: data.excerpt };
}

function buildDialog(): HTMLDialogElement {
  const dialog = el('dialog', 'search');
  dialog.setAttribute('aria-labelledby', 'search-title');
  dialog.innerHTML = `
    <div class="search__bar" role="search">
      <h2 id="search-title" class="search__title">Search the course</h2>
      <label class="search__label" for="search-input">Search lessons and the glossary</label>
      <input id="search-input" class="search__input" type="search" autocomplete="off"
        spellcheck="false" placeholder="Try “sticky session” or “idempotency”" />
      <button type="button" class="search__close">Close</button>
    </div>
    <p class="search__status" role="status" aria-live="polite"></p>
    <ul class="search__results" aria-labelledby="search-title"></ul>`;
  document.body.append(dialog);
  return dialog;
}

let dialog: HTMLDialogElement | null = null;
let opener: HTMLElement | null = null;
let generation = 0;

async function runQuery(query: string): Promise<void> {
  if (!dialog) return;
  const status = dialog.querySelector<HTMLElement>('.search__status');
  const list = dialog.querySelector<HTMLUListElement>('.search__results');
  if (!status || !list) return;
  const mine = ++generation;
  if (query.trim() === '') {
    list.replaceChildren();
    status.textContent = '';
    return;
  }
  // Only punctuation, or longer than any phrase in the course: nothing a reader could mean by it,
  // whatever the index would make of it.
  if (!/[\p{L}\p{N}]/u.test(query) || query.length > MAX_QUERY) {
    list.replaceChildren();
    status.textContent = `No results for “${query.length > 60 ? `${query.slice(0, 60)}…` : query}”.`;
    return;
  }
  let items: HTMLLIElement[] = [];
  let problem = '';
  try {
    const pf = await loadPagefind();
    const search = await pf.debouncedSearch(query, {}, 200);
    if (search === null || mine !== generation) return; // a newer keystroke superseded this one
    const data = await Promise.all(search.results.slice(0, MAX_RESULTS).map((r) => r.data()));
    if (mine !== generation) return;
    items = data.map((page) => {
      const section = bestSection(page);
      const link = el('a', 'search__link');
      link.href = section.url;
      link.append(el('span', 'search__page', page.meta.title ?? page.url));
      if (section.title && section.title !== page.meta.title) {
        link.append(el('span', 'search__section', section.title));
      }
      link.append(renderExcerpt(section.excerpt || page.excerpt));
      const item = el('li', 'search__item');
      item.append(link);
      return item;
    });
  } catch {
    if (mine !== generation) return;
    // Under `astro dev` there is no index yet; a query Pagefind can't parse is just no match.
    problem = 'Search needs a built site (npm run build, then npm start).';
    items = [];
    try {
      await loadPagefind();
      problem = '';
    } catch {
      /* keep the message */
    }
  }
  list.replaceChildren(...items);
  status.textContent =
    problem ||
    (items.length === 0
      ? `No results for “${query.length > 60 ? `${query.slice(0, 60)}…` : query}”.`
      : `${items.length} ${items.length === 1 ? 'result' : 'results'}.`);
}

function moveFocus(current: Element | null, step: 1 | -1): void {
  if (!dialog) return;
  const input = dialog.querySelector<HTMLInputElement>('.search__input');
  const links = [...dialog.querySelectorAll<HTMLAnchorElement>('.search__link')];
  const stops: HTMLElement[] = [...(input ? [input] : []), ...links];
  const index = stops.indexOf(current as HTMLElement);
  const next = stops[Math.min(Math.max(index + step, 0), stops.length - 1)];
  next?.focus();
}

function wire(d: HTMLDialogElement): void {
  const input = d.querySelector<HTMLInputElement>('.search__input');
  input?.addEventListener('input', () => void runQuery(input.value));
  d.querySelector('.search__close')?.addEventListener('click', () => d.close());
  d.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      moveFocus(document.activeElement, event.key === 'ArrowDown' ? 1 : -1);
    }
  });
  // A click on the backdrop (outside the dialog's box) closes it, as people expect of a modal.
  d.addEventListener('click', (event) => {
    if (event.target === d) d.close();
  });
  // Following a link to a heading on this same page: close first so the page can scroll.
  d.addEventListener('click', (event) => {
    const link = (event.target as Element).closest?.('a.search__link');
    if (link) d.close();
  });
  d.addEventListener('close', () => opener?.focus());
}

export function openSearch(from: HTMLElement | null): void {
  opener = from ?? (document.activeElement as HTMLElement | null);
  if (!dialog) {
    dialog = buildDialog();
    wire(dialog);
  }
  if (!dialog.open) dialog.showModal();
  const input = dialog.querySelector<HTMLInputElement>('.search__input');
  input?.focus();
  input?.select();
  void loadPagefind().catch(() => undefined);
}
