import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { renderPlainText } from "../../src/reply/plainText.js";
import { replySchema } from "../../src/reply/reply.js";
import { tokenize } from "../../src/routing/commandLine.js";
import type { Router } from "../../src/routing/router.js";
import { injections, traversals } from "./hostileText.js";
import type { RequestCounter } from "./requestCounter.js";
import { admin, stackLine, startRouterUnderTest } from "./routerUnderTest.js";

/**
 * Hostile text in every argument of every command: shell and PowerShell
 * metacharacters, look-alike letters, direction overrides, NUL. Each must get
 * a clear error reply (never a crash or a stack), and not one request may
 * reach an agent.
 */

/** Every argument slot of every command; `{}` is where the hostile text goes (`--confirm=` values: flagValues.test.ts). */
const templates = [
  "help {}",
  "status {}",
  "diagnose {}",
  "errors {} 5",
  "errors scan-01 {}",
  "errors scan-01 --count={}",
  "watch {}",
  "watch on {}",
  "watch off {}",
  "ack {}",
  "snooze {} 1h",
  "snooze scan-01 {}",
  "restart {}",
  "scan {} contoso-prod",
  "scan start {}",
  "scan stop {}",
  "logs {} scan-01",
  "logs export {}",
  "audit {}",
];

const apiPath = /^\/v1\/(health|status|diagnostics|actions|errors\?count=\d{1,3})$/;

/** The ways one hostile string can sit in a slot: quoted as one word, bare, and glued to a real value. */
function placements(text: string): string[] {
  const quoted = `"${text.replaceAll('"', "")}"`;
  return [quoted, text.trim() || "x", `"scan-01${text.replaceAll('"', "")}"`, `contoso-prod${text}`];
}

let setup: Awaited<ReturnType<typeof startRouterUnderTest>>;
let router: Router;
let counter: RequestCounter;

beforeEach(async () => {
  setup = await startRouterUnderTest();
  ({ router, counter } = setup);
});

afterEach(() => setup.close());

describe("command injection in every argument of every command", () => {
  it("answers hostile text inside an argument with a clear error and calls no agent", async () => {
    const failures: string[] = [];
    const lines = templates.flatMap((t) =>
      injections.flatMap((i) => placements(i).map((value) => ({ line: t.replace("{}", value), value }))),
    );
    const oneWord = lines.filter(({ value }) => tokenize(value).length === 1);
    expect(oneWord.length).toBeGreaterThan(templates.length * injections.length * 2);
    for (const { line } of oneWord) {
      const before = counter.paths.length;
      const answer = await router.dispatch(line, admin).result;
      if (counter.paths.length > before) failures.push(`${JSON.stringify(line)} reached an agent: ${answer.text}`);
      const text = renderPlainText(answer);
      if (answer.status !== "error" || !replySchema.safeParse(answer).success || stackLine.test(text)) {
        failures.push(`${JSON.stringify(line)} → ${answer.status ?? "no status"}: ${answer.text}`);
      }
    }
    expect(failures).toEqual([]);
    expect(counter.paths).toEqual([]);
  });

  it("treats hostile text after white space as extra words that never reach an agent", async () => {
    const lines = templates.flatMap((t) =>
      injections.flatMap((i) => placements(i).map((value) => ({ line: t.replace("{}", value), value }))),
    );
    for (const { line } of lines.filter(({ value }) => tokenize(value).length !== 1)) {
      const answer = await router.dispatch(line, admin).result;
      expect(replySchema.safeParse(answer).success, line).toBe(true);
      expect(renderPlainText(answer), line).not.toMatch(stackLine);
    }
    // Whatever did go out is the fixed API: no argument text in a path or query.
    for (const path of counter.paths) expect(path).toMatch(apiPath);
  });

  it("refuses path traversal and URLs as node or cluster names without calling an agent", async () => {
    const nodeSlots = ["status {}", "diagnose {}", "errors {} 5", "restart {}", "logs export {}", "snooze {} 1h"];
    const clusterSlots = ["scan stop {}", "watch on {}"];
    for (const template of [...nodeSlots, ...clusterSlots]) {
      for (const name of traversals) {
        const line = template.replace("{}", `"${name}"`);
        const answer = await router.dispatch(line, admin).result;
        expect(answer.status, line).toBe("error");
        expect(renderPlainText(answer), line).not.toMatch(stackLine);
      }
    }
    expect(counter.paths).toEqual([]);
  });

  it("explains hostile pasted text without calling an agent", async () => {
    for (const injection of injections) {
      const answer = await router.dispatch(`explain ${injection}`, admin).result;
      expect(replySchema.safeParse(answer).success).toBe(true);
      const fallback = await router.dispatch(`status${injection}`, admin, { fallbackToExplain: true }).result;
      expect(replySchema.safeParse(fallback).success).toBe(true);
    }
    expect(counter.paths).toEqual([]);
  });

  it("the counter sees the agent calls a valid command makes (the assertions above can fail)", async () => {
    const answer = await router.dispatch("status scan-01", admin).result;
    expect(answer.status).not.toBe("error");
    expect(counter.paths.some((p) => p.startsWith("/v1/status"))).toBe(true);
  });
});
