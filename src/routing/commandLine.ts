/**
 * Turns what a user typed into a command name and its words. Accepts
 * `/scanner status prod`, `scanner status prod` and `status prod` alike, since
 * Slack slash commands, Teams messages and @mentions all arrive differently.
 */
export interface CommandLine {
  /** Lower-cased command word (at most `maxCommandWordLength` characters), or "" when the line was empty. */
  name: string;
  /**
   * Words after the command name, quotes removed, `--flags` excluded. Past `maxParsedWords` words the rest
   * of the line (or from a word longer than `maxParsedWordLength`) is one last positional, untouched, so a
   * command that takes fewer words still refuses it.
   */
  positionals: string[];
  /** `--json`, `--count=5`, `--count 5`: boolean when no value follows. */
  flags: Record<string, string | boolean>;
  /** Everything after the command word, exactly as typed, line ends included (for free text such as `explain`). */
  rest: string;
}

/** No command takes more words than this; splitting a 1 MB paste into words would only cost time. */
export const maxParsedWords = 64;

/** No argument is longer; a longer word ends the parsing and the line from there on is the last positional. */
export const maxParsedWordLength = 4096;

/** No command name is longer; a longer first word is kept only this long (for "unknown command" and typo hints). */
export const maxCommandWordLength = 64;

const prefix = /^\s*(?:\/scanner|@?scanner-bot|@?scanner)[:,]?(?=\s|$)/i;

/** Removes the `/scanner` (or `scanner`, `@scanner`) prefix, if any. */
export function stripPrefix(line: string): string {
  return line.replace(prefix, "").trim();
}

const space = /\s*/y;
const unquotedRun = /[^\s"'\u201c\u201d]+/y;

/** The words found so far and where the scan stopped (the text's length when it read everything). */
interface WordScan {
  words: string[];
  end: number;
}

/**
 * Splits `text` into at most `limit` words. Each word is cut out with slices, never built a character at
 * a time: appending one character per step to a long word made a 1 MB paste cost hundreds of
 * milliseconds, growing faster than the text.
 */
function scanWords(text: string, limit: number, maxWordLength: number): WordScan {
  const words: string[] = [];
  let at = 0;
  for (;;) {
    space.lastIndex = at;
    space.test(text);
    at = space.lastIndex;
    if (at >= text.length) return { words, end: text.length };
    if (words.length >= limit) return { words, end: at };
    const start = at;
    const parts: string[] = [];
    while (at < text.length) {
      if (at - start > maxWordLength) return { words, end: start };
      const ch = text[at];
      if (ch === '"' || ch === "'" || ch === "\u201c" || ch === "\u201d") {
        // An unclosed quote runs to the end of the line.
        const close = text.indexOf(ch === "\u201c" ? "\u201d" : ch, at + 1);
        const stop = close < 0 ? text.length : close;
        if (stop - start > maxWordLength) return { words, end: start };
        // Outside quotes a carriage return is white space; inside, it is dropped (Windows line ends).
        parts.push(text.slice(at + 1, stop).replace(/\r+/g, ""));
        at = close < 0 ? text.length : close + 1;
        continue;
      }
      unquotedRun.lastIndex = at;
      if (!unquotedRun.test(text)) break; // white space: the word is complete
      parts.push(text.slice(at, unquotedRun.lastIndex));
      at = unquotedRun.lastIndex;
    }
    words.push(parts.join(""));
  }
}

/** Splits on white space, honouring "double" and 'single' quotes. */
export function tokenize(text: string): string[] {
  return scanWords(text, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY).words;
}

/** Parses one command line. Never throws. */
export function parseCommandLine(line: string): CommandLine {
  const body = stripPrefix(line);
  const match = /^(\S+)\s*([\s\S]*)$/.exec(body);
  if (!match) return { name: "", positionals: [], flags: {}, rest: "" };
  const name = (match[1] ?? "").slice(0, maxCommandWordLength).toLowerCase();
  const rest = match[2] ?? "";
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  const { words: tokens, end } = scanWords(rest, maxParsedWords, maxParsedWordLength);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? "";
    // [\s\S]: a quoted value may hold a line break; it must stay this flag's value, not become a word.
    const flag = /^--([a-z][a-z0-9-]*)(?:=([\s\S]*))?$/i.exec(token);
    if (!flag) {
      positionals.push(token);
      continue;
    }
    const key = (flag[1] ?? "").toLowerCase();
    if (flag[2] !== undefined) flags[key] = flag[2];
    else if (
      tokens[i + 1] !== undefined &&
      !(tokens[i + 1] ?? "").startsWith("--") &&
      /^\d+$/.test(tokens[i + 1] ?? "")
    ) {
      flags[key] = tokens[i + 1] ?? "";
      i++;
    } else flags[key] = true;
  }
  if (end < rest.length) positionals.push(rest.slice(end));
  return { name, positionals, flags, rest };
}
