/**
 * One cookie jar per lab, although every embedded preview lives on 127.0.0.1.
 *
 * Browsers key cookies by host name and ignore the port, so the cart lab's `sid` would otherwise be
 * sent to the next lab's preview too, and a "stateless" lab would show a session it never created.
 * Previews cannot move to a host of their own (`<lab>.localhost`): the frame would become
 * cross-site and SameSite=Lax cookies would stop working. Instead the preview proxy renames every
 * cookie a lab sets to `<prefix><name>` on its way to the browser, and on the way back passes the
 * learner's server only the cookies carrying its own lab's prefix, with the prefix taken off. The
 * learner's code sees exactly the names it set.
 */

/** `lab.server-cart.`: dots and dashes are legal in cookie names (RFC 6265 token characters). */
export function cookiePrefix(site: string): string {
  return `lab.${site}.`;
}

/** Renames the cookie in one Set-Cookie value; attributes (Path, Max-Age, …) are left as they are. */
export function scopeSetCookie(value: string, site: string): string {
  const equals = value.indexOf('=');
  const semicolon = value.indexOf(';');
  // `Set-Cookie: token` (no `=`) names a cookie with an empty name in current browsers; keep it
  // a nameless value under the prefix so it still cannot reach another lab.
  if (equals === -1 || (semicolon !== -1 && semicolon < equals)) {
    return `${cookiePrefix(site)}=${value.trimStart()}`;
  }
  return `${cookiePrefix(site)}${value.slice(0, equals).trim()}${value.slice(equals)}`;
}

/**
 * The Cookie header for the learner's server: only this lab's cookies, under the names the lab
 * gave them. Returns undefined when none are left, so the header is dropped rather than sent empty.
 */
export function scopeCookieHeader(header: string | undefined, site: string): string | undefined {
  if (header === undefined) return undefined;
  const prefix = cookiePrefix(site);
  const own: string[] = [];
  for (const pair of header.split(';')) {
    const trimmed = pair.trim();
    if (!trimmed.startsWith(prefix)) continue;
    const rest = trimmed.slice(prefix.length);
    own.push(rest.startsWith('=') ? rest.slice(1) : rest);
  }
  return own.length > 0 ? own.join('; ') : undefined;
}
