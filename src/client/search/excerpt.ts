/**
 * Pagefind excerpts are HTML: escaped text with `<mark>` around the matched words. Turn one into
 * plain segments so the dialog builds text nodes and never assigns HTML from the index.
 */
export interface ExcerptSegment {
  text: string;
  marked: boolean;
}

const ENTITIES: Record<string, string> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&#x27;': "'",
};

function decode(text: string): string {
  return text.replace(/&(?:amp|lt|gt|quot|#39|#x27);/g, (entity) => ENTITIES[entity] ?? entity);
}

export function excerptSegments(html: string): ExcerptSegment[] {
  const segments: ExcerptSegment[] = [];
  const pattern = /<mark>([\s\S]*?)<\/mark>/g;
  let last = 0;
  for (const match of html.matchAll(pattern)) {
    if (match.index > last) segments.push({ text: html.slice(last, match.index), marked: false });
    segments.push({ text: match[1] ?? '', marked: true });
    last = match.index + match[0].length;
  }
  if (last < html.length) segments.push({ text: html.slice(last), marked: false });
  // Any other tag is dropped, never interpreted.
  return segments
    .map((s) => ({ ...s, text: decode(s.text.replace(/<[^>]*>/g, '')) }))
    .filter((s) => s.text.length > 0);
}
