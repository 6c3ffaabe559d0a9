/**
 * Teams delivers message bodies as HTML (`<p>`, `<br>`, `<at>`, entities),
 * both in chat text and in a message extension's `messagePayload`. Commands
 * and pasted errors need the plain text a person sees.
 */

const namedEntities: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: " ",
};

/** Decodes the HTML entities Teams emits (named ones it uses, and numeric ones). */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X")) return safeCodePoint(Number.parseInt(name.slice(2), 16), whole);
    if (name.startsWith("#")) return safeCodePoint(Number.parseInt(name.slice(1), 10), whole);
    return namedEntities[name.toLowerCase()] ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

/** Turns a Teams HTML message body into plain text, keeping line breaks. */
export function htmlToText(html: string): string {
  const withBreaks = html
    .replace(/<\s*br\s*\/?>/gi, "\n")
    .replace(/<\/\s*(p|div|li|tr|h[1-6]|pre|blockquote)\s*>/gi, "\n")
    // A tag ends at the next '<' too: `[^>]*` rescanned the rest of the body at every unclosed '<' (quadratic).
    .replace(/<[^<>]*>/g, "");
  return decodeEntities(withBreaks)
    .replace(/\r\n?/g, "\n")
    .replace(/[ \t\u00a0]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
