/**
 * What the workspace learns from the page around it: which lesson it is in (for progress) and
 * where the next lesson is (for the "all checks pass" prompt). Props on <Sandbox /> win; otherwise
 * the lesson layout's markup is read.
 */
export interface LessonContext {
  slug: string;
  next: { href: string; title: string } | null;
}

/** The progress key of the lesson around a lab (the first view reads it too, so keep it cheap). */
export function lessonSlugOf(root: HTMLElement): string {
  return (
    root.dataset['lessonSlug'] ||
    root.closest<HTMLElement>('[data-lesson]')?.dataset['lesson'] ||
    location.pathname.split('/').filter(Boolean).at(-1) ||
    'index'
  );
}

export function readLessonContext(root: HTMLElement): LessonContext {
  const slug = lessonSlugOf(root);
  let next: LessonContext['next'] = null;
  const href = root.dataset['nextHref'];
  if (href) {
    next = { href, title: root.dataset['nextTitle'] || 'the next lesson' };
  } else {
    const link = document.querySelector<HTMLAnchorElement>('a[rel="next"]');
    if (link) {
      const title =
        link.querySelector('[data-title], .prev-next__title')?.textContent ??
        link.textContent?.replace(/^\s*next\b[:\s]*/i, '') ??
        '';
      next = {
        href: link.href,
        title: title.replace(/\s+/g, ' ').replace(/[→›]/g, '').trim() || 'the next lesson',
      };
    }
  }
  return { slug, next };
}
