import { describe, expect, it } from "vitest";
import { openStall, watchCommandHarness } from "../watch/commandHarness.js";

describe("ack command", () => {
  it("records who acknowledged, once", async () => {
    const h = watchCommandHarness();
    const incident = await openStall(h.store);
    expect((await h.run(`ack #${incident.id}`)).reply.text).toBe(
      `Incident #${incident.id} (scan-01: No scan progress for 34m) acknowledged by ana.`,
    );
    expect(await h.store.getIncident(incident.id)).toMatchObject({
      ackedBy: "slack:U024BE7LH (ana)",
      ackedAt: "2026-11-25T03:00:00.000Z",
    });
    const again = await h.run(`ack ${incident.id}`, { platform: "teams", userId: "29:1xyz", conversationId: "19:x" });
    expect(again.reply.text).toBe(`Incident #${incident.id} was already acknowledged by ana.`);
    await h.store.close();
  });

  it("explains unknown, closed and malformed ids", async () => {
    const h = watchCommandHarness();
    const incident = await openStall(h.store);
    await h.store.resolveIncident(incident.id, "2026-11-25T02:59:00.000Z");
    expect((await h.run(`ack ${incident.id}`)).reply.text).toMatch(/already cleared at 02:59 UTC/);
    expect((await h.run("ack 999")).reply.text).toMatch(/There is no incident #999/);
    expect((await h.run("ack twelve")).reply.text).toMatch(/give the incident number/);
    expect((await h.run("ack")).reply.text).toMatch(/give the incident number/);
    await h.store.close();
  });
});
