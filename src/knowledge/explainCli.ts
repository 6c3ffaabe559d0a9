import type { Readable, Writable } from "node:stream";
import { renderPlainText } from "../reply/plainText.js";
import { explanationJson } from "./explanationJson.js";
import { explanationReply } from "./explanationReply.js";
import { explainText, maxAnalysedChars } from "./matcher.js";

/** Where `scanner-bot explain` reads and writes; tests pass their own streams. */
export interface ExplainCliIo {
  stdin: Readable & { isTTY?: boolean };
  stdout: Writable;
  /** For the hint shown when stdin is a terminal. */
  stderr?: Writable;
}

/** Reads a stream as UTF-8 text, stopping once there is more than the matcher would analyse. */
export async function readLimited(stream: Readable, limit = maxAnalysedChars * 4): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(buffer);
    size += buffer.length;
    if (size > limit) break;
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** `scanner-bot explain [--json] [text…]`: explains the words given, or stdin when there are none. */
export async function runExplainCli(words: string[], options: { json?: boolean }, io: ExplainCliIo): Promise<void> {
  if (words.length === 0 && io.stdin.isTTY) {
    io.stderr?.write("Paste the error text, then press Ctrl-D (Ctrl-Z, Enter on Windows).\n");
  }
  const text = words.length > 0 ? words.join(" ") : await readLimited(io.stdin);
  const explanation = explainText(text);
  const out = options.json
    ? `${JSON.stringify(explanationJson(explanation), null, 2)}\n`
    : `${renderPlainText(explanationReply(explanation))}\n`;
  io.stdout.write(out);
}
