import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Caller } from "../../src/access/caller.js";
import { redactSecrets } from "../../src/foundation/redaction.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import type { Reply } from "../../src/reply/reply.js";
import type { Router } from "../../src/routing/router.js";
import { PasteAssembler } from "./pastedLines.js";

export interface ShellConsoleOptions {
  router: Router;
  input: Readable;
  output: Writable;
  /** A person at a terminal: show a prompt and placeholders. Piped input: just the answers. */
  interactive: boolean;
  caller?: Caller;
  /**
   * How long the input must stay quiet before a possibly unfinished paste (an error line that a stack
   * trace may follow) runs. Default 60 ms: shorter than a person notices, longer than a terminal needs
   * to deliver one paste.
   */
  pasteQuietMs?: number;
}

/** The local console adapter: one command per line, replies as readable text. */
export interface ShellConsole {
  /** Prints a proactive message (stall alert, recovery) between commands. */
  notify(reply: Reply): void;
  /** Prints one line of scan progress (the live card's latest version) between commands. */
  progress(line: string): void;
  /** Resolves when input ends (piped) or the user types `exit`. */
  finished: Promise<void>;
}

const prompt = "scanner> ";

/** Starts the console on the given streams. */
export function startShellConsole(options: ShellConsoleOptions): ShellConsole {
  const { router, input, output, interactive } = options;
  const caller: Caller = options.caller ?? {
    platform: "shell",
    userId: process.env.USER ?? "console",
    conversationId: "console",
  };
  const write = (text: string) => output.write(text.endsWith("\n") ? text : `${text}\n`);
  const rl = createInterface({ input, terminal: false, crlfDelay: Number.POSITIVE_INFINITY });

  // Entries run one after another so piped scripts print answers in order.
  let queue = Promise.resolve();
  let closed = false;
  let running = 0;
  const paste = new PasteAssembler((word) => router.find(word) !== undefined);
  const quietMs = options.pasteQuietMs ?? 60;
  let quietTimer: NodeJS.Timeout | undefined;

  /** What a piped transcript shows of an entry: its first line, and how many lines a paste had. */
  function echoOf(entry: string): string {
    const [first = "", ...more] = entry.split("\n");
    const head = first.trim();
    // A pasted secret must not be echoed with the transcript.
    const echoed = redactSecrets(head.length > 2000 ? head.slice(0, 2000) : head).text;
    const shown = echoed.length > 200 ? `${echoed.slice(0, 200)}…` : echoed;
    return more.length > 0 ? `${shown} (+${more.length} pasted line${more.length === 1 ? "" : "s"})` : shown;
  }

  async function handle(entry: string): Promise<void> {
    if (interactive && /^(exit|quit)$/i.test(entry)) {
      rl.close();
      return;
    }
    if (!interactive) write(`> ${echoOf(entry)}`);
    const dispatch = router.dispatch(entry, caller, { fallbackToExplain: true });
    if (dispatch.placeholder && interactive) write(renderPlainText(dispatch.placeholder));
    const answer = await dispatch.result;
    write(`${renderPlainText(answer)}\n`);
  }

  function enqueue(entry: string): void {
    running += 1;
    queue = queue
      .then(() => handle(entry))
      .finally(() => {
        running -= 1;
        if (interactive && !closed) output.write(prompt);
      });
  }

  function flushPaste(): void {
    clearTimeout(quietTimer);
    quietTimer = undefined;
    const entry = paste.flush();
    if (entry !== undefined) enqueue(entry);
  }

  const finished = new Promise<void>((resolve) => {
    rl.on("line", (line) => {
      for (const entry of paste.push(line)) enqueue(entry);
      clearTimeout(quietTimer);
      // A paste's lines arrive within one read or a few: what is still open runs once the input goes quiet.
      quietTimer = paste.pending ? setTimeout(flushPaste, quietMs) : undefined;
    });
    rl.on("close", () => {
      flushPaste();
      closed = true;
      void queue.then(() => resolve());
    });
  });

  if (interactive) {
    write("scanner-bot console. Type `help`, a command, or paste a scanner error. `exit` to leave.");
    output.write(prompt);
  }

  return {
    notify(replyToShow) {
      write(`\n*** ${replyToShow.text} ***\n${renderPlainText(replyToShow)}\n`);
      // The alert pushed the prompt away; give it back unless a command's answer (and its prompt) is still to come.
      if (interactive && !closed && running === 0) output.write(prompt);
    },
    progress(line) {
      write(`\n» ${line}`);
      if (interactive && !closed && running === 0) output.write(prompt);
    },
    finished,
  };
}
