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

/**
 * Each noise pattern with a cheap test for whether the text can contain it at all: most chain
 * levels have no GUID, URL or IPv6 address, and skipping those scans keeps long logs fast.
 */
const noise: [RegExp, (text: string) => boolean][] = [
  // GUIDs / correlation ids
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, (t) => t.includes("-")],
  // ISO and US-style timestamps, with optional time zone
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, (t) => t.includes("-")],
  [/\b\d{1,2}\/\d{1,2}\/\d{2,4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AP]M)?)?/gi, (t) => t.includes("/")],
  [/\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g, (t) => t.includes(":")],
  // URLs, UNC and drive paths, %envvar% paths
  [/\bhttps?:\/\/[^\s"'<>]+/gi, (t) => t.includes("://")],
  [/\\\\[^\s"'<>]+/g, (t) => t.includes("\\\\")],
  [/\b[A-Za-z]:\\[^\s"'<>]*/g, (t) => t.includes(":\\")],
  [/%[A-Za-z]+%\\[^\s"'<>]*/g, (t) => t.includes("%")],
  // IPv4/IPv6 with optional port, and host:port
  [/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b/g, (t) => t.includes(".")],
  [/\[?\b[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}\]?(?::\d{1,5})?/gi, (t) => t.includes(":")],
  // .NET stack frames
  [/^\s*at [^\n]*$/gm, (t) => t.includes("at ")],
  [/\bin [^\n]*:line \d+/g, (t) => t.includes(":line ")],
];

/** Removes text that varies between occurrences of the same error (ids, times, addresses, paths, frames). */
export function stripNoise(text: string): string {
  let out = text;
  for (const [pattern, possible] of noise) if (possible(out)) out = out.replace(pattern, " ");
  return out;
}

// Spellings the phrases are written without: British forms and the slips people (and some tools) make.
const spellingVariants: Readonly<Record<string, string>> = {
  cancelled: "canceled",
  setup: "set up",
  occured: "occurred",
  occurrred: "occurred",
  recieve: "receive",
  recieved: "received",
};
// One pass for every contraction and spelling variant the phrases are written without.
const contraction =
  /\b(?:(did|does|do|is|was|were|are|has|have|could|would|should)n'?t|(can)'?t|(won)'?t|(cancelled|setup|occured|occurrred|recieved?))\b/g;
const expandContraction = (match: string, negated?: string, can?: string, wont?: string, variant?: string) => {
  if (negated) return `${negated} not`;
  if (can) return "cannot";
  if (wont) return "will not";
  return variant ? (spellingVariants[variant] ?? variant) : match;
};

// Han, Hiragana and Katakana are written without spaces: each character is its own token, so a
// Chinese or Japanese message matches character by character (see `tokenWeight`).
const ideographic = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc]/gu;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range starts at NUL
const nonAscii = /[^\u0000-\u007f]/;

// Auxiliary verbs carry tense, not the error: "the connection is closed", "the scanner has been stuck" and the
// documented "was closed", "is stuck" are the same words once they are gone (phrases and pastes alike).
const auxiliaryVerbs = new Set(["is", "was", "are", "were", "has", "have", "had", "been", "be"]);
const withoutAuxiliaries = (tokens: string[]) => tokens.filter((token) => !auxiliaryVerbs.has(token));

// Two- and three-byte UTF-8 sequences read as Latin-1 or Windows-1252 ("conexiÃ³n" for "conexión").
const mojibake = /[\u00C2-\u00DF][\u0080-\u00BF]|[\u00E0-\u00EF][\u0080-\u00BF]{2}/g;

/**
 * Undoes the commonest broken code page: a UTF-8 log opened as Latin-1 and pasted on. Each such
 * sequence is decoded back to its character; one that does not decode stays as it was.
 */
export function repairMojibake(text: string): string {
  return text.replace(mojibake, (sequence) => {
    const decoded = Buffer.from(sequence, "latin1").toString("utf8");
    return decoded.length === 1 && decoded !== "\uFFFD" ? decoded : sequence;
  });
}

/**
 * Splits text into lower-case word tokens. CamelCase is split (`SchemaMismatchException`
 * → schema mismatch exception) so a user's "schema mismatch" meets the exception name.
 * Non-ASCII text is first repaired (UTF-8 read as Latin-1) and brought to NFKC (full-width letters, compatibility forms), then
 * case-folded with its accents removed: localized Windows messages match with or without them.
 */
export function tokenize(text: string): string[] {
  const ascii = !nonAscii.test(text);
  const out = (ascii ? text : repairMojibake(text).normalize("NFKC"))
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    // Lookahead, not `([A-Z]+)([A-Z][a-z])`: that form backtracks quadratically on long capital runs.
    .replace(/([A-Z])(?=[A-Z][a-z])/g, "$1 ")
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`´]/g, "'")
    .replace(contraction, expandContraction);
  if (ascii) return withoutAuxiliaries(out.match(/[a-z0-9]+/g) ?? []);
  return withoutAuxiliaries(
    out
      .replace(ideographic, " $& ")
      .normalize("NFKD")
      .replace(/\p{M}/gu, "")
      .match(/[\p{L}\p{N}]+/gu) ?? [],
  );
}

/**
 * Brings a pasted chain level closer to what .NET printed: NFKC for full-width or compatibility
 * characters, and dotted namespaces that machine translation or re-wrapping broke apart
 * (`System .net. Sockets. SocketException`) joined again so the type name is recognised.
 */
export function normalizeLevel(text: string): string {
  const out = nonAscii.test(text) ? repairMojibake(text).normalize("NFKC") : text;
  return out.replace(/\b(?:System|Microsoft)(?:\s{0,3}\.\s{0,3}[A-Za-z_]\w*)+/g, (dotted) =>
    dotted.replace(/\s+/g, ""),
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

// The same filler in the other Latin- and Cyrillic-script languages: articles, pronouns, prepositions, conjunctions and
// auxiliaries (accents already folded). Without them "… ist fehlgeschlagen, da die …" would look like four telling words.
const foreignFiller = [
  "der die das den dem des ein eine einer einen ist sind wurde wurden werden kann konnte nicht da bei von mit und oder zu auf fur im",
  "le la les l de des du d un une et ou est a au aux en pour par ne pas que qui sur se s n ete",
  "el los las del una y o es por para que ha han no lo su al",
  "il lo gli di della dei un e o non che si ha in per stata stato una",
  "os as do da dos das um uma em foi nao ou ao",
  "het een en van te met voor niet er dat op kan",
  "и в не на с по что при для из от к или был была было быть",
].flatMap((line) => line.split(" "));
for (const word of foreignFiller) weakWords.add(word);

const singleIdeograph = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\u30fc]$/u;

/**
 * How much a token tells about which error it is: 0.2 for filler words, 0.4 for one Chinese or
 * Japanese character (about two and a half make a word), 1 otherwise.
 */
export function tokenWeight(token: string): number {
  if (weakWords.has(token)) return 0.2;
  return token.length === 1 && singleIdeograph.test(token) ? 0.4 : 1;
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
    let end = word.length;
    while (end > 0 && word.charCodeAt(end - 1) === 46) end--;
    // Cheap suffix test first: almost every dotted word is not a type name.
    if (end < 9 || word.slice(end - 9, end).toLowerCase() !== "exception") return word;
    const name = word.slice(0, end);
    types.push(name.toLowerCase());
    return " ";
  });
  return { types, message };
}

/** The last part of a dotted type name, lower-cased. */
export function shortTypeName(name: string): string {
  return (name.split(".").pop() ?? name).toLowerCase();
}
