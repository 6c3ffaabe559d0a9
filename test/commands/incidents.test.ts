import { describe, expect, it } from "vitest";
import type { NodeAssessment } from "../../src/watch/nodeAssessment.js";
import type { WatchControl } from "../../src/watch/watcher.js";
import { openStall, watchCommandHarness } from "../watch/commandHarness.js";

function assessment(
  node: string,
  state: NodeAssessment["state"],
  status: NodeAssessment["status"],
  text: string = state,
): NodeAssessment {
  return { node, cluster: "contoso-prod", state, status, text, findings: [] };
}

/** A watcher that shows the given assessments and does nothing else. */
function watcherShowing(states: NodeAssessment[]): WatchControl {
  return {
    assessments: () => [...states],
    assessment: (node) => states.find((a) => a.node === node),
    settingsFor: () => expect.fail("not asked"),
    noteStop: () => undefined,
    deliveryProblems: () => [],
  };
}

describe("incidents command", () => {
  it("says how long an open stall has stood still by now, not the figure it opened with", async () => {
    const h = watchCommandHarness();
    await openStall(h.store); // opened as "No scan progress for 34m", no progress since 02:20; now is 03:00
    const { text } = await h.run("incidents");
    expect(text).toContain("No scan progress for 40m");
    expect(text).not.toContain("34m");
    await h.store.close();
  });

  it("says so when nothing is open, and never claims nodes look fine when nothing checks them", async () => {
    const h = watchCommandHarness();
    const { reply, text } = await h.run("incidents");
    expect(reply.text).toBe("No open incidents.");
    expect(text).toContain("the watcher is not running in this bot, so no node is being checked");
    expect(text).not.toContain("looks fine");
    await h.store.close();
  });

  it("tells apart nodes not polled yet, nodes in trouble without an incident, and nodes that look fine", async () => {
    const states: NodeAssessment[] = [
      assessment("scan-01", "scanning", "ok"),
      assessment("scan-02", "unknown", "info", "not polled yet"),
      assessment("scan-03", "error", "error", "scanner error: DB schema is not up to date"),
    ];
    const h = watchCommandHarness({ watcher: watcherShowing(states) });

    const troubled = await h.run("incidents");
    expect(troubled.reply.status).toBe("warn");
    expect(troubled.text).toContain("1 node(s) look wrong without an open incident yet: scan-03 (error)");
    expect(troubled.text).toContain("1 node(s) not polled yet");
    expect(troubled.text).not.toContain("look fine");

    states.splice(2, 1);
    const unpolled = await h.run("incidents");
    expect(unpolled.reply.status).toBe("info");
    expect(unpolled.text).toContain("1 node(s) not polled yet");
    expect(unpolled.text).not.toContain("look fine");

    states.splice(1, 1);
    expect((await h.run("incidents")).text).toContain("all 1 watched node(s) look fine");

    states.splice(0, 1);
    expect((await h.run("incidents")).text).toContain("the watcher has no node to check");
    await h.store.close();
  });

  it("lists open incidents with their age and an acknowledge button, and closed ones with --all", async () => {
    const h = watchCommandHarness();
    const stall = await openStall(h.store, "scan-01");
    const other = await openStall(h.store, "scan-02");
    await h.store.ackIncident(other.id, "teams:29:1abc (li)", "2026-11-25T02:55:00.000Z");
    const { reply, text } = await h.run("incidents");
    expect(reply.text).toBe("2 open incident(s)");
    expect(text).toContain("stalled: No scan progress for 40m");
    expect(text).toContain("(40m ago)");
    expect(text).toContain("acknowledged by li");
    const actions = reply.blocks.find((b) => b.kind === "actions");
    expect(actions?.kind === "actions" && actions.actions.map((a) => a.command)).toEqual([`ack ${stall.id}`]);

    await h.store.resolveIncident(stall.id, "2026-11-25T02:58:00.000Z");
    expect((await h.run("incidents")).reply.text).toBe("1 open incident(s)");
    const recent = (await h.run("incidents --all")).text;
    expect(recent).toContain("resolved 02:58 UTC");
    // A resolved stall stopped counting when it cleared.
    expect(recent).toContain("No scan progress for 38m");
    await h.store.close();
  });
});
