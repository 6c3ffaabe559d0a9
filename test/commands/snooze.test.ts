import { afterEach, describe, expect, it } from "vitest";
import { watchCommandHarness } from "../watch/commandHarness.js";

describe("snooze command", () => {
  const h = watchCommandHarness();
  afterEach(async () => {
    for (const s of await h.store.listSnoozes("2000-01-01T00:00:00.000Z")) await h.store.clearSnooze(s.node);
  });

  it("snoozes a node until now + duration, recording who", async () => {
    const { reply } = await h.run("snooze scan-01 1h");
    expect(reply.text).toBe("Alerts for scan-01 snoozed by ana for 1h, until 04:00 UTC.");
    expect(await h.store.listSnoozes("2026-11-25T03:59:00.000Z")).toEqual([
      {
        node: "scan-01",
        until: "2026-11-25T04:00:00.000Z",
        by: "slack:U024BE7LH (ana)",
        createdAt: "2026-11-25T03:00:00.000Z",
      },
    ]);
    expect(await h.store.listSnoozes("2026-11-25T04:00:00.000Z")).toEqual([]);
  });

  it("ends a snooze with `off`", async () => {
    await h.run("snooze scan-01 4h");
    expect((await h.run("snooze scan-01 off")).reply.text).toBe("Snooze on scan-01 ended: alerts are back on.");
    expect((await h.run("snooze scan-01 off")).reply.text).toBe("scan-01 was not snoozed.");
  });

  it("refuses a missing or bad duration and more than a week", async () => {
    expect((await h.run("snooze scan-01")).reply.text).toMatch(/say for how long/);
    expect((await h.run("snooze scan-01 soon")).reply.text).toMatch(/use a duration such as 30m/);
    expect((await h.run("snooze scan-01 8d")).reply.text).toMatch(/at most 7 days; 8d is longer/);
    expect((await h.run("snooze")).reply.text).toMatch(/name the node/);
    expect(await h.store.listSnoozes("2026-11-25T03:00:00.000Z")).toEqual([]);
  });
});
