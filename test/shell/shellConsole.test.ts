import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { startShellConsole } from "../../adapters/shell/shellConsole.js";
import { allCommands } from "../../commands/index.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { reply } from "../../src/reply/reply.js";
import { defineCommand } from "../../src/routing/command.js";
import { createRouter } from "../../src/routing/router.js";

const slow = defineCommand({
  name: "slowpoke",
  summary: "Answers after a while.",
  usage: "slowpoke",
  help: "test",
  args: z.object({}),
  input: () => ({}),
  run: async () => {
    await new Promise((resolve) => setTimeout(resolve, 50));
    return reply("slow answer").text("slow answer").build();
  },
});

async function runPiped(lines: string): Promise<string> {
  const router = createRouter([...allCommands, slow], { now: () => new Date() }, silentLogger());
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (chunk: Buffer) => {
    text += chunk.toString("utf8");
  });
  const shell = startShellConsole({ router, input, output, interactive: false });
  input.end(lines);
  await shell.finished;
  return text;
}

describe("shell console, piped", () => {
  it("answers every line in order, skips blank lines and ends with the input", async () => {
    const text = await runPiped("slowpoke\n\n   \n/scanner help\n");
    expect(text.indexOf("> slowpoke")).toBeLessThan(text.indexOf("slow answer"));
    expect(text.indexOf("slow answer")).toBeLessThan(text.indexOf("> /scanner help"));
    expect(text).toContain("scanner-bot commands");
    expect(text.match(/^> /gm)).toHaveLength(2);
  });

  it("never echoes a pasted secret back", async () => {
    const secret = "OAkk+rnuYc/u+]ah2kNxVbtrDGbS47L4";
    const text = await runPiped(`explain Set-AIPAuthentication -AppId "77c3c1c3" -AppSecret "${secret}"\n`);
    expect(text).not.toContain(secret);
    expect(text).toContain("[REDACTED");
  });

  it("explains a pasted error that is no command", async () => {
    const text = await runPiped("Microsoft.InformationProtection.Exceptions.SchemaMismatchException: boom\n");
    expect(text).toMatch(/schema/i);
    expect(text).not.toContain("I don't know the command");
  });
});
