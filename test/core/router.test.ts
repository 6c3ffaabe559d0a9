import { describe, expect, it } from "vitest";
import { z } from "zod";
import { helpCommand } from "../../commands/help.js";
import { BotError } from "../../src/foundation/botError.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import { reply, replySchema } from "../../src/reply/reply.js";
import { defineCommand } from "../../src/routing/command.js";
import { createRouter } from "../../src/routing/router.js";

const caller = { platform: "shell" as const, userId: "u1" };

const echo = defineCommand({
  name: "errors",
  summary: "Echo a count.",
  usage: "errors [node] [count]",
  help: "test",
  args: z.object({ node: z.string().optional(), count: z.coerce.number().int().min(1).max(100).default(10) }),
  input: (line) => {
    const [a, b] = line.positionals;
    return a && /^\d+$/.test(a) ? { count: a } : { node: a, count: b };
  },
  placeholder: ({ node }) => reply(`checking ${node ?? "all nodes"}…`).build(),
  run: ({ node, count }) =>
    reply(`errors ${node ?? "*"} ${count}`)
      .text(`${count}`)
      .build(),
});

const explain = defineCommand({
  name: "explain",
  summary: "Explain.",
  usage: "explain <text>",
  help: "test",
  args: z.object({ text: z.string().min(1) }),
  input: (line) => ({ text: line.rest }),
  run: ({ text }) => reply(`explained: ${text}`).build(),
});

const broken = defineCommand({
  name: "broken",
  summary: "Throws.",
  usage: "broken",
  help: "test",
  args: z.object({}),
  input: () => ({}),
  run: () => {
    throw new Error("database password=hunter2 leaked in a stack");
  },
});

const denied = defineCommand({
  name: "denied",
  summary: "Refuses.",
  usage: "denied",
  help: "test",
  args: z.object({}),
  input: () => ({}),
  run: () => {
    throw new BotError("forbidden", "Only admins can do that.");
  },
});

const router = createRouter([helpCommand, echo, explain, broken, denied], { now: () => new Date() }, silentLogger());

describe("router", () => {
  it("validates arguments with the command's schema and runs it", async () => {
    const d = router.dispatch("/scanner errors node-2 25", caller);
    expect(d.commandName).toBe("errors");
    expect(d.placeholder?.text).toBe("checking node-2…");
    expect((await d.result).text).toBe("errors node-2 25");
    expect((await router.dispatch("errors 5", caller).result).text).toBe("errors * 5");
  });

  it("starts a command with a placeholder only after the current I/O turn, so the placeholder goes out first", async () => {
    const started: string[] = [];
    const slow = defineCommand({
      name: "slow",
      summary: "Slow.",
      usage: "slow",
      help: "test",
      args: z.object({}),
      input: () => ({}),
      placeholder: () => reply("working…").build(),
      run: () => {
        started.push("slow");
        return reply("done").build();
      },
    });
    const quick = defineCommand({
      ...slow,
      name: "quick",
      placeholder: undefined,
      run: () => {
        started.push("quick");
        return reply("ok").build();
      },
    });
    const r = createRouter([slow, quick], { now: () => new Date() }, silentLogger());
    const d = r.dispatch("slow", caller);
    r.dispatch("quick", caller);
    // Microtasks alone (what an ack takes) do not start it; a command without a placeholder starts at once.
    for (let i = 0; i < 20; i++) await Promise.resolve();
    expect(started).toEqual(["quick"]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual(["quick", "slow"]);
    expect((await d.result).text).toBe("done");
  });

  it("answers bad arguments with the reason and the usage, not an exception", async () => {
    const r = await router.dispatch("errors node-2 5000", caller).result;
    expect(r.status).toBe("error");
    expect(r.visibility).toBe("private");
    const text = renderPlainText(r);
    expect(text).toContain("count");
    expect(text).toContain("errors [node] [count]");
  });

  it("suggests the closest command for a typo", async () => {
    const text = renderPlainText(await router.dispatch("/scanner erors", caller).result);
    expect(text).toContain("I don't know the command `erors`");
    expect(text).toContain("Did you mean `errors [node] [count]`");
  });

  it("lists the commands when nothing is close", async () => {
    const text = renderPlainText(await router.dispatch("frobnicate", caller).result);
    expect(text).toContain("Commands: help, errors, explain, broken, denied");
    // Two edits away and a different first letter: a different word, not a typo.
    const other = renderPlainText(await router.dispatch("arror", caller).result);
    expect(other).not.toContain("Did you mean");
    expect(other).toContain("Commands: help");
    // One edit anywhere still is.
    expect(renderPlainText(await router.dispatch("rrrors", caller).result)).toContain("Did you mean `errors");
  });

  it("explains pasted text when asked to fall back (mentions, DMs)", async () => {
    const r = await router.dispatch("SchemaMismatchException at Foo.Bar()", caller, { fallbackToExplain: true }).result;
    expect(r.text).toBe("explained: SchemaMismatchException at Foo.Bar()");
  });

  it("answers a lone everyday word as an unknown command, but explains a lone error name or code", async () => {
    for (const word of ["yes", "foo", "Thanks", "okay"]) {
      const r = await router.dispatch(word, caller, { fallbackToExplain: true }).result;
      expect(r.status, word).toBe("error");
      const text = renderPlainText(r);
      expect(text).toContain(`I don't know the command \`${word.toLowerCase()}\``);
      expect(text).toContain("paste the error");
    }
    for (const token of ["SchemaMismatchException", "AADSTS700016", "0x80070005", "System.Net.WebException"]) {
      const r = await router.dispatch(token, caller, { fallbackToExplain: true }).result;
      expect(r.text, token).toBe(`explained: ${token}`);
    }
  });

  it("still suggests rather than explains a short typo in fallback mode", async () => {
    const r = await router.dispatch("erors", caller, { fallbackToExplain: true }).result;
    expect(r.status).toBe("error");
  });

  it("hides internal failures behind a reference and never leaks the cause", async () => {
    const r = await router.dispatch("broken", caller).result;
    const text = renderPlainText(r);
    expect(text).toMatch(/reference [0-9a-f]{8}/);
    expect(text).not.toContain("hunter2");
  });

  it("shows a BotError's own message", async () => {
    const r = await router.dispatch("denied", caller).result;
    expect(renderPlainText(r)).toContain("Only admins can do that.");
  });

  it("help lists every command and shows one in detail", async () => {
    const all = await router.dispatch("help", caller).result;
    expect(replySchema.parse(all).blocks.find((b) => b.kind === "table")).toBeTruthy();
    const one = renderPlainText(await router.dispatch("help errors", caller).result);
    expect(one).toContain("errors [node] [count]");
    const missing = await router.dispatch("help nope", caller).result;
    expect(missing.status).toBe("error");
  });

  it("survives empty, huge, binary and control-character input", async () => {
    for (const line of ["", "\u0000\u0001\u0002", "\ud800", "x".repeat(2_000_000), "/scanner \u202e\u200b"]) {
      const r = await router.dispatch(line, caller, { fallbackToExplain: true }).result;
      expect(replySchema.safeParse(r).success).toBe(true);
    }
  });

  it("refuses duplicate command names at start", () => {
    expect(() => createRouter([echo, echo], { now: () => new Date() }, silentLogger())).toThrow(/duplicate/);
  });
});
