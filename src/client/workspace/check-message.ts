/**
 * Check messages often quote a response body, and a body quoted inside a message arrives as one
 * long line of escaped JSON (`got "{\"items\":[…]}"`): unreadable, and on a phone wider than the
 * screen. This finds the JSON in a message so the panel can show it indented and wrapped.
 */
export type MessagePart = { kind: 'text'; text: string } | { kind: 'json'; text: string };

/** Bodies shorter than this read fine inline. */
const MIN_JSON_LENGTH = 24;

/** End (exclusive) of the JSON string literal starting at `start` (a `"`), or -1. */
function stringEnd(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i += 1) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === '"') return i + 1;
  }
  return -1;
}

/** End (exclusive) of the bracketed value starting at `start`, or -1. */
function bracketEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (c === '"') {
      const end = stringEnd(text, i);
      if (end === -1) return -1;
      i = end - 1;
    } else if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

function structured(raw: string): unknown {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Pretty JSON for `raw` when it is an object or array (directly, or quoted as a string). */
function asJson(raw: string): string | null {
  let value = structured(raw);
  if (value === undefined && raw.startsWith('"')) {
    try {
      const inner: unknown = JSON.parse(raw);
      if (typeof inner === 'string') value = structured(inner.trim());
    } catch {
      /* not a string literal after all */
    }
  }
  return value === undefined ? null : JSON.stringify(value, null, 2);
}

export function splitMessage(message: string): MessagePart[] {
  const parts: MessagePart[] = [];
  let text = '';
  for (let i = 0; i < message.length; i += 1) {
    const c = message[i];
    if (c === '{' || c === '[' || c === '"') {
      const end = c === '"' ? stringEnd(message, i) : bracketEnd(message, i);
      const raw = end === -1 ? '' : message.slice(i, end);
      const json = raw.length >= MIN_JSON_LENGTH ? asJson(raw) : null;
      if (json !== null) {
        if (text) parts.push({ kind: 'text', text });
        text = '';
        parts.push({ kind: 'json', text: json });
        i = end - 1;
        continue;
      }
    }
    text += c;
  }
  if (text) parts.push({ kind: 'text', text });
  return parts;
}
