/**
 * The response headers the built course needs wherever it is served: by `npm start`, by the dev
 * server, or by a static host reading the files `npm run build` writes for it. One list, so a
 * header added for one of them can't be forgotten for the others.
 */

/** WebContainers need SharedArrayBuffer, which browsers only allow on cross-origin isolated pages. */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Sent with every file of the course itself. */
export const BASE_COURSE_HEADERS: Readonly<Record<string, string>> = {
  ...ISOLATION_HEADERS,
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * Only the course may frame its own pages: another site framing a lesson could overlay it and
 * trick the learner into pressing Run or Check (clickjacking). Never sent with a lab's preview,
 * which the course itself frames. Old browsers read the second header.
 */
export const FRAMING_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "frame-ancestors 'self'",
  'X-Frame-Options': 'SAMEORIGIN',
};

export const COURSE_HEADERS: Readonly<Record<string, string>> = {
  ...BASE_COURSE_HEADERS,
  ...FRAMING_HEADERS,
};

/** Astro puts content-hashed bundles here; their names change whenever their bytes do. */
export const HASHED_ASSET_PREFIX = '/_astro/';
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
