import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { Caller } from "../../src/access/caller.js";
import { redactSecrets } from "../../src/foundation/redaction.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import type { Reply } from "../../src/reply/reply.js";
import type { Router } from "../../src/routing/router.js";

export interface ShellConsoleOptions {
  router: Router;
  input: Readable;
  output: Writable;
  /** A person at a terminal: show a prompt and placeholders. Piped input: just the answers. */
  interactive: boolean;
  caller?: Caller;
}

/** The local console adapter: one command per line, replies as readable text. */
export interface ShellConsole {
  /** Prints a proactive message (stall alert, recovery) between commands. */
  notify(reply: Reply): void;
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

  // Lines run one after another so piped scripts print answers in order.
  let queue = Promise.resolve();
  let closed = false;

  async function handle(line: string): Promise<void> {
    const trimmed = line.trim();
    if (!trimmed) return;
    if (interactive && /^(exit|quit)$/i.test(trimmed)) {
      rl.close();
      return;
    }
    if (!interactive) {
      // Piped scripts echo each line so the output reads as a transcript; a pasted secret must not be echoed with it.
      const echoed = redactSecrets(trimmed.length > 2000 ? trimmed.slice(0, 2000) : trimmed).text;
      write(`> ${echoed.length > 200 ? `${echoed.slice(0, 200)}…` : echoed}`);
    }
    const dispatch = router.dispatch(trimmed, caller, { fallbackToExplain: true });
    if (dispatch.placeholder && interactive) write(renderPlainText(dispatch.placeholder));
    const answer = await dispatch.result;
    write(`${renderPlainText(answer)}\n`);
  }

  const finished = new Promise<void>((resolve) => {
    rl.on("line", (line) => {
      queue = queue
        .then(() => handle(line))
        .then(() => {
          if (interactive && !closed) output.write(prompt);
        });
    });
    rl.on("close", () => {
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
    },
    finished,
  };
}
