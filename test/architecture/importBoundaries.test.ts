import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { findCircles, findViolations, readSourceTree, resolveImports } from "./importGraph.js";

const root = join(import.meta.dirname, "..", "..");
const productTree = () => resolveImports(readSourceTree(root, ["src", "agent", "adapters", "commands"]));

/** A made-up tree, one file per entry, to show each rule catches what it names. */
function tree(files: Record<string, string>) {
  return resolveImports(new Map(Object.entries(files)));
}

describe("the product's import graph", () => {
  it("has no import circle", () => {
    expect(findCircles(productTree())).toEqual([]);
  });

  it("keeps every layering rule", () => {
    expect(findViolations(productTree())).toEqual([]);
  });

  it("reads type-only and inline type imports too", () => {
    const graph = tree({
      "src/a/one.ts": 'export type X = import("../b/two.js").Y;\nimport type { Z } from "./three.js";',
    });
    expect(graph[0]?.local).toEqual(["src/b/two.ts", "src/a/three.ts"]);
  });
});

describe("the checks fail when a forbidden import is added", () => {
  it("the agent importing bot code", () => {
    const found = findViolations(
      tree({ "agent/agentServer.ts": 'import { router } from "../src/routing/router.js";' }),
    );
    expect(found).toEqual([
      expect.objectContaining({ imports: "src/routing/router.ts", rule: expect.stringContaining("node agent") }),
    ]);
  });

  it("the agent importing a chat SDK or the bot's store driver", () => {
    const found = findViolations(
      tree({ "agent/agentServer.ts": 'import { App } from "@slack/bolt";\nimport Database from "better-sqlite3";' }),
    );
    expect(found.map((v) => v.imports)).toEqual(["@slack/bolt", "better-sqlite3"]);
  });

  it("the shared wire contract reaching into the bot", () => {
    const found = findViolations(tree({ "src/wire/agentApi.ts": 'import type { Store } from "../store/store.js";' }));
    expect(found).toHaveLength(1);
  });

  it("the agent's own imports, the wire contract and foundation pass", () => {
    const found = findViolations(
      tree({
        "agent/agentServer.ts":
          'import { x } from "./scannerBackend.js";\nimport { y } from "../src/wire/agentApi.js";\nimport { z } from "../src/foundation/logger.js";\nimport sql from "mssql";',
      }),
    );
    expect(found).toEqual([]);
  });

  it("the core or a command importing an adapter", () => {
    const found = findViolations(
      tree({
        "src/watch/watcher.ts": 'import { blockKit } from "../../adapters/slack/blockKit.js";',
        "commands/status.ts": 'import { card } from "../adapters/teams/adaptiveCard.js";',
        "src/runtime/runtime.ts": 'import { startSlack } from "../../adapters/slack/slackAdapter.js";',
      }),
    );
    expect(found.map((v) => v.file)).toEqual(["src/watch/watcher.ts", "commands/status.ts"]);
  });

  it("the core importing a chat SDK", () => {
    expect(findViolations(tree({ "src/reply/reply.ts": 'import { TurnContext } from "botbuilder";' }))).toHaveLength(1);
  });

  it("one adapter importing another", () => {
    const found = findViolations(
      tree({ "adapters/teams/cardMessage.ts": 'import { x } from "../slack/blockKit.js";' }),
    );
    expect(found).toEqual([expect.objectContaining({ rule: "adapters never import each other" })]);
  });

  it("a circle, direct or through several files", () => {
    const circles = findCircles(
      tree({
        "src/a.ts": 'import { b } from "./b.js";',
        "src/b.ts": 'import type { c } from "./c.js";',
        "src/c.ts": 'export type C = import("./a.js").A;',
        "src/d.ts": 'import { a } from "./a.js";',
      }),
    );
    expect(circles).toEqual([["src/a.ts", "src/b.ts", "src/c.ts"]]);
  });
});
