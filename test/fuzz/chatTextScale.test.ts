import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";

/**
 * Markup that never closes, repeated up to the adapters' 1 MB body limit.
 * Text extraction must stay linear in the input: a pattern that rescans the
 * rest of the text at every `<` needs many minutes for such a message while
 * holding the event loop (every other chat user waits). The extraction runs
 * in a child process so a regression fails at the deadline instead of
 * freezing the test runner; linear code needs well under a second.
 */
const root = new URL("../..", import.meta.url).pathname;
const deadlineMs = 15_000;

const script = `
const { textFromSlack } = await import("./adapters/slack/incomingText.ts");
const { htmlToText } = await import("./adapters/teams/messageText.ts");
const limit = 1024 * 1024;
const repeated = (unit) => unit.repeat(Math.floor(limit / unit.length));
const out = [];
for (const unit of ["<", "<p ", "<at>"]) out.push(htmlToText(repeated(unit)).length);
for (const unit of ["<@U1|", "<#C1|", "<http://x", "<https://x|", "<!here|"]) out.push(textFromSlack(repeated(unit), "U0BOT").length);
process.stdout.write(JSON.stringify(out));
`;

function extractInChild(): Promise<{ code: number | null; out: string; killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let killed = false;
    child.stdout.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    child.stderr.on("data", (c: Buffer) => {
      out += c.toString("utf8");
    });
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, deadlineMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out, killed });
    });
  });
}

describe("chat text extraction at the body limit", () => {
  it("Slack mentions/links and Teams tags that never close: linear, within the deadline", async () => {
    const result = await extractInChild();
    expect(result.killed, "extraction still running at the deadline (quadratic pattern?)").toBe(false);
    expect(result.code).toBe(0);
    const lengths = JSON.parse(result.out) as number[];
    expect(lengths).toHaveLength(8);
    for (const length of lengths) expect(length).toBeLessThanOrEqual(1024 * 1024);
  }, 30_000);
});
