import { describe, expect, it } from "vitest";
import { openStall, watchCommandHarness } from "../watch/commandHarness.js";

describe("incidents command", () => {
  it("says so when nothing is open", async () => {
    const h = watchCommandHarness();
    expect((await h.run("incidents")).reply.text).toBe("No open incidents.");
    await h.store.close();
  });

  it("lists open incidents with their age and an acknowledge button, and closed ones with --all", async () => {
    const h = watchCommandHarness();
    const stall = await openStall(h.store, "scan-01");
    const other = await openStall(h.store, "scan-02");
    await h.store.ackIncident(other.id, "teams:29:1abc (li)", "2026-11-25T02:55:00.000Z");
    const { reply, text } = await h.run("incidents");
    expect(reply.text).toBe("2 open incident(s)");
    expect(text).toContain("stalled: No scan progress for 34m");
    expect(text).toContain("(40m ago)");
    expect(text).toContain("acknowledged by li");
    const actions = reply.blocks.find((b) => b.kind === "actions");
    expect(actions?.kind === "actions" && actions.actions.map((a) => a.command)).toEqual([`ack ${stall.id}`]);

    await h.store.resolveIncident(stall.id, "2026-11-25T02:58:00.000Z");
    expect((await h.run("incidents")).reply.text).toBe("1 open incident(s)");
    expect((await h.run("incidents --all")).text).toContain("resolved 02:58 UTC");
    await h.store.close();
  });
});
