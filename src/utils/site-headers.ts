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

/** Sent with every file of the course itself (never with a lab's preview, which the course frames). */
export const COURSE_HEADERS: Readonly<Record<string, string>> = {
  ...ISOLATION_HEADERS,
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // Nobody else may frame the course (clickjacking); old browsers read the second header.
  'Content-Security-Policy': "frame-ancestors 'self'",
  'X-Frame-Options': 'SAMEORIGIN',
};

/** Astro puts content-hashed bundles here; their names change whenever their bytes do. */
export const HASHED_ASSET_PREFIX = '/_astro/';
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';
