/**
 * The file the build writes last into dist/, so `npm start` can tell a finished build from a stale
 * or interrupted one. Shared by the build integration (which writes it) and the server (which reads
 * it), so neither imports the other.
 */
export const BUILD_STAMP = '.build-stamp';
