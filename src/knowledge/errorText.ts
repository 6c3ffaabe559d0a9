/**
 * Turning pasted error text into comparable tokens. Users paste log lines, portal messages
 * and stack traces with timestamps, GUIDs, addresses and paths that never help to identify
 * an error, in any casing and wrapped anywhere; all of that is flattened here.
 */

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Everything but tab and newline: NUL, escape sequences, DEL, C1 controls, BOM and zero-width marks.
// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
const controlCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u2028\u2029\uFEFF]/g;

/** Makes arbitrary input safe to process and echo: no lone surrogates, no control characters, `\n` line ends. */
export function cleanInput(text: string): string {
  return (
    text
      .replace(/\r\n?/g, "\n")
      // Terminal colour codes from copied console output (`ESC[31m`).
      // biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape character is the point
      .replace(/\u001b\[[0-9;?]{0,32}[A-Za-z]/g, "")
      .replace(loneSurrogate, "\uFFFD")
      .replace(controlCharacters, " ")
  );
}

/** Share of characters that are replacement characters or NULs: high means binary, not text. */
export function binaryShare(text: string): number {
  if (text.length === 0) return 0;
  let odd = 0;
  const sample = text.slice(0, 4096);
  for (const ch of sample) {
    const code = ch.codePointAt(0) ?? 0;
    if (code === 0xfffd || code === 0 || (code < 32 && code !== 9 && code !== 10 && code !== 13)) odd++;
  }
  return odd / sample.length;
}

const noise: RegExp[] = [
  // GUIDs / correlation ids
  /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
  // ISO and US-style timestamps, with optional time zone
  /\b\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g,
  /\b\d{1,2}\/\d{1,2}\/\d{2,4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?)?/gi,
  /\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g,
  // URLs, UNC and drive paths, %envvar% paths
  /\bhttps?:\/\/[^\s"'<>]+/gi,
  /\\\\[^\s"'<>]+/g,
  /\b[A-Za-z]:\\[^\s"'<>]*/g,
  /%[A-Za-z]+%\\[^\s"'<>]*/g,
  // IPv4/IPv6 with optional port, and host:port
  /\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g,
  /\[?\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\]?(?::\d{1,5})?/gi,
  // .NET stack frames
  /^\s*at [^\n]*$/gm,
  /\bin [^\n]*:line \d+/g,
];

/** Removes text that varies between occurrences of the same error (ids, times, addresses, paths, frames). */
export function stripNoise(text: string): string {
  let out = text;
  for (const pattern of noise) out = out.replace(pattern, " ");
  return out;
}

const contractions: [RegExp, string][] = [
  [/\b(did|does|do|is|was|were|are|has|have|could|would|should)n'?t\b/g, "$1 not"],
  [/\bcan'?t\b/g, "cannot"],
  [/\bwon'?t\b/g, "will not"],
  [/\bcancelled\b/g, "canceled"],
  [/\bsetup\b/g, "set up"],
];

/**
 * Splits text into lower-case word tokens. CamelCase is split (`SchemaMismatchException`
 * → schema mismatch exception) so a user's "schema mismatch" meets the exception name.
 */
export function tokenize(text: string): string[] {
  let out = text
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    // Lookahead, not `([A-Z]+)([A-Z][a-z])`: that form backtracks quadratically on long capital runs.
    .replace(/([A-Z])(?=[A-Z][a-z])/g, "$1 ")
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'");
  for (const [pattern, replacement] of contractions) out = out.replace(pattern, replacement);
  // Letters of any script, accents folded: localized Windows messages match with or without them.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range starts at NUL
  if (!/[^\u0000-\u007f]/.test(out)) return out.match(/[a-z0-9]+/g) ?? [];
  return (
    out
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

/** Words that carry no identity on their own; they count little when matching fragments. */
const weakWords = new Set([
  "a",
  "an",
  "the",
  "to",
  "of",
  "for",
  "is",
  "was",
  "are",
  "in",
  "on",
  "at",
  "by",
  "be",
  "and",
  "or",
  "with",
  "it",
  "this",
  "that",
  "from",
  "as",
  "not",
  "no",
  "any",
  "one",
  "error",
  "errors",
  "exception",
  "failed",
  "occurred",
  "system",
  "microsoft",
  "information",
  "protection",
  "net",
  "exceptions",
  "run",
  "command",
  "http",
]);

/** How much a token tells about which error it is: 0.2 for filler words, 1 otherwise. */
export function tokenWeight(token: string): number {
  return weakWords.has(token) ? 0.2 : 1;
}

// Whole dotted words, matched in one pass; which of them are type names is decided per word.
// (A regex that looks for the `Exception` suffix directly backtracks quadratically on `a.a.a.…`.)
const dottedWord = /(?<![\w.])[A-Za-z_][\w.]*/g;

/** Is this phrase a .NET exception type name (`SchemaMismatchException`, `System.Net.WebException`)? */
export function isTypeName(phrase: string): boolean {
  return /^(?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*Exception$/i.test(phrase);
}

/**
 * Separates exception type names from the message around them. Type names say which layer
 * failed, not why; matching them apart keeps `System.Net.Sockets.SocketException` from passing
 * for evidence about the socket error's message.
 */
export function splitTypeNames(text: string): { types: string[]; message: string } {
  const types: string[] = [];
  const message = text.replace(dottedWord, (word: string) => {
    const name = word.replace(/\.+$/, "");
    if (!/exception$/i.test(name)) return word;
    types.push(name.toLowerCase());
    return " ";
  });
  return { types, message };
}

/** The last part of a dotted type name, lower-cased. */
export function shortTypeName(name: string): string {
  return (name.split(".").pop() ?? name).toLowerCase();
}
