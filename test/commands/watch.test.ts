import { afterEach, describe, expect, it } from "vitest";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { watchSectionSchema, watchSettingsFor } from "../../src/config/watchSection.js";
import { createFleetClient } from "../../src/fleet/fleetClient.js";
import type { WatchControl } from "../../src/watch/watcher.js";
import { openStall, watchCommandHarness } from "../watch/commandHarness.js";

describe("watch command", () => {
  let h = watchCommandHarness();
  afterEach(async () => {
    await h.store.close();
    h = watchCommandHarness();
  });

  it("subscribes the caller's conversation, to all clusters or one, and unsubscribes", async () => {
    expect((await h.run("watch on")).reply.text).toBe("Watching all clusters here.");
    expect((await h.run("/scanner watch on contoso-prod --finished")).reply.text).toBe(
      "Watching cluster contoso-prod, finished scans included here.",
    );
    expect(await h.store.listSubscriptions()).toMatchObject([
      {
        platform: "slack",
        conversationId: "C0SCANOPS",
        cluster: "*",
        notifyFinished: false,
        createdBy: "slack:U024BE7LH (ana)",
      },
      { cluster: "contoso-prod", notifyFinished: true },
    ]);
    expect((await h.run("watch on")).reply.text).toMatch(/^Already watching all clusters here/);
    expect((await h.run("watch off contoso-prod")).reply.text).toBe("Stopped watching cluster contoso-prod here.");
    expect((await h.run("watch off contoso-prod")).reply.text).toBe(
      "This conversation was not watching cluster contoso-prod.",
    );
    expect(await h.store.listSubscriptions()).toHaveLength(1);
  });

  it("`--no-card` leaves the live scan card out of this conversation; `watch on` again brings it back", async () => {
    const off = await h.run("watch on contoso-prod --no-card");
    expect(off.reply.text).toBe("Watching cluster contoso-prod, no live scan card here.");
    expect(off.text).not.toContain("live card");
    expect(await h.store.listSubscriptions()).toMatchObject([{ cluster: "contoso-prod", liveCard: false }]);
    const status = await h.run("watch status");
    const table = status.reply.blocks.find((b) => b.kind === "table");
    expect(table?.kind === "table" && table.rows[0]?.cells.slice(0, 3)).toEqual([
      "cluster contoso-prod",
      "not posted",
      "no (--no-card)",
    ]);
    await h.run("watch on contoso-prod");
    expect(await h.store.listSubscriptions()).toMatchObject([{ cluster: "contoso-prod", liveCard: true }]);
  });

  it("shows subscriptions, settings and each node's assessment, slow-but-alive included", async () => {
    await h.run("watch on");
    await openStall(h.store);
    const watcher: WatchControl = {
      assessments: () => [
        {
          node: "scan-01",
          cluster: "contoso-prod",
          state: "stalled",
          status: "warn",
          text: "No scan progress for 34m",
          findings: [],
        },
        {
          node: "scan-02",
          cluster: "contoso-prod",
          state: "slow-but-alive",
          status: "info",
          text: "slow but alive: counters flat for 41m, detailed report still growing (wait, per the article)",
          findings: [],
        },
      ],
      assessment: () => undefined,
      settingsFor: (c) => watchSettingsFor(watchSectionSchema.parse({}), c),
      noteStop: () => {},
      deliveryProblems: () => [
        {
          platform: "teams-workflow",
          conversationId: "ops-flow",
          since: "2026-11-25T02:45:10.000Z",
          failures: 3,
          lastError: "Teams workflow: gave up after 6 tries in 58s (last: 502)",
        },
      ],
    };
    const withWatcher = watchCommandHarness({ watcher, store: h.store });
    const { reply, text } = await withWatcher.run("watch status");
    expect(reply.status).toBe("warn");
    expect(text).toContain("all clusters");
    expect(text).toContain("poll every 1m, stalled after 30m, unreachable after 3 polls, reminders every 2h");
    expect(text).toMatch(/scan-02\s+contoso-prod\s+slow-but-alive/);
    expect(text).toContain("1 open incident(s)");
    expect(text).toContain("1 alert channel(s) could not be reached");
    expect(text).toMatch(/teams-workflow ops-flow\s+2026-11-25 02:45 UTC\s+3\s+Teams workflow: gave up after 6 tries/);
  });

  it("refuses an option it does not know instead of quietly keeping the card (`--no-cards`)", async () => {
    const typo = await h.run("watch on --no-cards");
    expect(typo.reply.status).toBe("error");
    expect(typo.reply.text).toBe(
      "That doesn't fit `watch`: option: --no-cards is not an option of watch; it takes --finished and --no-card.",
    );
    expect(await h.store.listSubscriptions()).toEqual([]);
  });

  it("says since when and until when in UTC, the way other replies do, not as raw ISO text", async () => {
    await h.run("watch on");
    await h.run("snooze scan-01 2h");
    const { text } = await h.run("watch status");
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT/);
    expect(text).toMatch(/all clusters\s+not posted\s+yes\s+03:00 UTC \(just now\)/);
    expect(text).toContain("Snoozed: scan-01 until 05:00 UTC.");
  });

  it("takes `watch.notifyFinished` from the config as the default of `watch on`", async () => {
    const notifyFinished = watchSectionSchema.parse({ notifyFinished: true });
    const watcher: WatchControl = {
      assessments: () => [],
      assessment: () => undefined,
      settingsFor: (c) => watchSettingsFor(notifyFinished, c),
      noteStop: () => {},
      deliveryProblems: () => [],
    };
    const configured = watchCommandHarness({ watcher, store: h.store });
    expect((await configured.run("watch on")).reply.text).toBe("Watching all clusters, finished scans included here.");
    expect(await h.store.listSubscriptions()).toMatchObject([{ notifyFinished: true }]);
  });

  it("says what is missing: no conversation, no store, no watcher, a bad mode", async () => {
    expect((await h.run("watch on", { platform: "cli", userId: "root" })).reply.text).toMatch(/needs a conversation/);
    const { router } = h;
    const noStore = watchCommandHarness({ store: undefined });
    expect((await noStore.run("watch on")).reply.text).toMatch(/no database/);
    expect((await h.run("watch status")).text).toContain("The watcher is not running");
    expect((await h.run("watch maybe")).reply.text).toMatch(/say `on`, `off` or `status`/);
    expect(router.find("watch")?.name).toBe("watch");
    await noStore.store.close();
  });

  it("rejects a cluster the fleet does not know", async () => {
    const fleet = createFleetClient(
      botConfigSchema.parse({
        clusters: [
          { name: "contoso-prod", nodes: [{ name: "scan-01", url: "http://127.0.0.1:9", secret: "s".repeat(32) }] },
        ],
      }),
    );
    const withFleet = watchCommandHarness({ fleet, store: h.store });
    expect((await withFleet.run("watch on CONTOSO-PROD")).reply.text).toBe("Watching cluster contoso-prod here.");
    expect((await withFleet.run("watch on contoso-test")).reply.text).toMatch(
      /no cluster `contoso-test`.*contoso-prod/,
    );
    // A node name gets told which cluster to watch instead.
    expect((await withFleet.run("watch on scan-01")).reply.text).toBe(
      "`scan-01` is a node of cluster contoso-prod: name the cluster (contoso-prod) instead.",
    );
    fleet.close();
  });
});
