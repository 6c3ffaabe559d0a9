import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxInlineImageChars } from "../../adapters/teams/adaptiveCard.js";
import { type DemoCluster, startDemoCluster } from "../../src/demo/demoCluster.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { createBot } from "../../src/runtime/bot.js";
import { cardOf, fixture, startTestTeams, type TestTeams } from "./teamsHarness.js";

/** Every element of a card, nested ones included. */
function cardElements(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(cardElements);
  if (!node || typeof node !== "object") return [];
  return [node as Record<string, unknown>, ...Object.values(node).flatMap(cardElements)];
}

describe("fleet commands in Teams, over the demo cluster's real agents", () => {
  let demo: DemoCluster;
  let teams: TestTeams;

  beforeAll(async () => {
    demo = await startDemoCluster();
    const { router } = createBot({ logger: silentLogger(), fleet: demo.fleet });
    teams = await startTestTeams({ auth: true, router });
  });
  afterAll(async () => {
    await teams?.close();
    await demo?.close();
  });

  /** Sends a line and returns the last card the bot posted or updated, placeholders replaced. */
  async function ask(line: string): Promise<{ methods: string[]; card: string }> {
    const before = teams.connector.calls.length;
    const res = await teams.post({ ...fixture("personal-message", teams.connector.url), text: line });
    expect(res.status).toBe(200);
    await teams.adapter.settled();
    const calls = teams.connector.calls.slice(before);
    return { methods: calls.map((c) => c.method), card: JSON.stringify(cardOf(calls.at(-1)?.body ?? {})) };
  }

  it("shows the cluster's nodes for `status`", async () => {
    const { methods, card } = await ask("status");
    // `status` asks every node: a "checking…" card first, replaced in place by the answer.
    expect(methods).toEqual(["POST", "PUT"]);
    for (const node of ["scan-01", "scan-02", "scan-03"]) expect(card).toContain(node);
    expect(card).toContain('"version":"1.5"');
  });

  it("reads a node's recent errors for `errors scan-03 5`", async () => {
    const { card } = await ask("errors scan-03 5");
    expect(card).toContain("scan-03");
    expect(card).not.toContain("I don't know the command");
  });

  it("answers `progress` with its chart as an Image with a small PNG data URI, the card within Teams' limit", async () => {
    const before = teams.connector.calls.length;
    const res = await teams.post({ ...fixture("personal-message", teams.connector.url), text: "progress" });
    expect(res.status).toBe(200);
    await teams.adapter.settled();
    const last = teams.connector.calls.slice(before).at(-1);
    const image = cardElements(cardOf(last?.body ?? {})).find((e) => e.type === "Image");
    expect(image?.url).toMatch(/^data:image\/png;base64,iVBORw0KGgo/);
    expect(String(image?.url).length).toBeLessThanOrEqual(maxInlineImageChars + 30);
    expect(image?.altText).toContain("Scanned files, cluster contoso-demo");
    // Adaptive Cards in Teams are limited to about 28 KB.
    expect(JSON.stringify(last?.body).length).toBeLessThan(28 * 1024);
  });

  it("runs diagnostics for `diagnose scan-01`", async () => {
    const { card } = await ask("diagnose scan-01");
    expect(card).toContain("scan-01");
    expect(card).not.toContain("I don't know the command");
  });
});
