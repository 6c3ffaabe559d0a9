/**
 * Turns what a user typed into a command name and its words. Accepts
 * `/scanner status prod`, `scanner status prod` and `status prod` alike, since
 * Slack slash commands, Teams messages and @mentions all arrive differently.
 */
export interface CommandLine {
  /** Lower-cased command word, or "" when the line was empty. */
  name: string;
  /** Words after the command name, quotes removed, `--flags` excluded. */
  positionals: string[];
  /** `--json`, `--count=5`, `--count 5`: boolean when no value follows. */
  flags: Record<string, string | boolean>;
  /** Everything after the command word, exactly as typed (for free text such as `explain`). */
  rest: string;
}

const prefix = /^\s*(?:\/scanner|@?scanner-bot|@?scanner)[:,]?(?=\s|$)/i;

/** Removes the `/scanner` (or `scanner`, `@scanner`) prefix, if any. */
export function stripPrefix(line: string): string {
  return line.replace(prefix, "").trim();
}

/** Splits on white space, honouring "double" and 'single' quotes. */
export function tokenize(text: string): string[] {
  const tokens: string[] = [];
  let current = "";
  let quote: string | null = null;
  let inToken = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
      else current += ch;
    } else if (ch === '"' || ch === "'" || ch === "\u201c" || ch === "\u201d") {
      quote = ch === "\u201c" ? "\u201d" : ch;
      inToken = true;
    } else if (/\s/.test(ch)) {
      if (inToken) tokens.push(current);
      current = "";
      inToken = false;
    } else {
      current += ch;
      inToken = true;
    }
  }
  if (inToken) tokens.push(current);
  return tokens;
}

/** Parses one command line. Never throws. */
export function parseCommandLine(line: string): CommandLine {
  const body = stripPrefix(line.replace(/\r/g, ""));
  const match = /^(\S+)\s*([\s\S]*)$/.exec(body);
  if (!match) return { name: "", positionals: [], flags: {}, rest: "" };
  const name = (match[1] ?? "").toLowerCase();
  const rest = match[2] ?? "";
  const positionals: string[] = [];
  const flags: Record<string, string | boolean> = {};
  const tokens = tokenize(rest);
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
  return { name, positionals, flags, rest };
}
