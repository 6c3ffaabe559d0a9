import { parseCommandLine } from "../../src/routing/commandLine.js";

/**
 * Turns console lines into entries: a script's commands stay one per line, while a pasted error (a log
 * line followed by its stack trace, or `explain` followed by more text) becomes one entry. Lines are
 * judged by their shape, not by timing alone, so a piped file and a terminal paste are read the same way.
 */

/** Lines that only make sense as part of the text before them: stack frames, inner-exception markers, indented text. */
const continuationLine =
  /^(?:\s+\S|\s*at\s+\S|\s*---|\s*--> |\s*(?:Inner ?Exception|Exception (?:rethrown|details)|End of (?:inner )?(?:exception )?stack trace)\b)/i;

/** A first line that reads like the start of an error report rather than a mistyped command. */
const errorLooking =
  /exception|error|fail|denied|unable|cannot|can't|could not|not found|timed? ?out|refused|0x[0-9a-f]{6,}|\b\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/i;

/** What the assembler needs from the router: whether a word names a command. */
export type IsCommand = (word: string) => boolean;

interface OpenEntry {
  lines: string[];
  /** Whether the entry started with a known command (other than `explain`): it never takes more lines. */
  complete: boolean;
  /** Whether any following line that is no command belongs to this entry (a paste, or `explain …`). */
  takesMore: boolean;
}

/** Groups console lines into entries, one line at a time. */
export class PasteAssembler {
  private open: OpenEntry | undefined;

  constructor(private readonly isCommand: IsCommand) {}

  /** Adds one line; returns the entries it completed, in order. */
  push(line: string): string[] {
    if (line.trim() === "") {
      // A blank line inside a paste is kept (traces have them); it never starts an entry.
      this.open?.lines.push(line);
      return [];
    }
    const name = parseCommandLine(line).name;
    const command = this.isCommand(name);
    const open = this.open;
    if (open && !command && !open.complete && (open.takesMore || continuationLine.test(line))) {
      open.lines.push(line);
      return [];
    }
    const done = this.flush();
    const explain = name === "explain";
    this.open = {
      lines: [line],
      complete: command && !explain,
      takesMore: explain || (!command && errorLooking.test(line)),
    };
    // A plain command takes nothing more: it runs now instead of waiting for the input to go quiet.
    const ready = this.open.complete ? this.flush() : undefined;
    return [done, ready].filter((entry): entry is string => entry !== undefined);
  }

  /** Ends the entry being assembled (the input went quiet or ended). */
  flush(): string | undefined {
    const entry = this.open;
    this.open = undefined;
    if (!entry) return undefined;
    const text = entry.lines.join("\n").trim();
    return text === "" ? undefined : text;
  }

  /** Whether an entry is being assembled. */
  get pending(): boolean {
    return this.open !== undefined;
  }
}
