/**
 * The page behind "Open in new tab" on WebContainer. A preview opened in its own tab reaches the
 * course's container through a page on the course's origin at /webcontainer/connect/…, which
 * relays messages between the two. That page must be served without COOP and COEP (they would
 * cut it off from the tab that opened it); src/server/static-site.ts does so.
 */
import { setupConnect } from '@webcontainer/api/connect';

export function connectPreviewTab(): void {
  setupConnect();
}
