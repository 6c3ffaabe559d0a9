import { describe, expect, it } from "vitest";
import type { ClusterProgressView, NodeProgressView } from "../../src/fleet/scanProgress.js";
import type { ScanCard } from "../../src/store/scanCardRecord.js";
import { cycleKeyOf, editIntervalMs, nextCardStep, nextEditAfter } from "../../src/watch/scanCard.js";
import { liveCardVersion, summaryCardVersion } from "../../src/watch/scanCardMessage.js";

const at = (iso: string) => new Date(`2026-11-25T${iso}Z`);

const card = (over: Partial<ScanCard> = {}): ScanCard => ({
  cluster: "contoso-prod",
  platform: "slack",
  conversationId: "C0SCANOPS",
  cycleKey: "cycle-1",
  messageId: "1700000001.000100",
  threadId: null,
  state: "live",
  shown: "A",
  editedAt: "2026-11-25T10:00:00.000Z",
  nextEditAt: "2026-11-25T10:01:00.000Z",
  reposts: 0,
  createdAt: "2026-11-25T10:00:00.000Z",
  ...over,
});

describe("when the card is posted, edited and finished", () => {
  const scanning = { scanning: true, cycleKey: "cycle-1", shown: "B" };

  it("posts when the cluster scans and this conversation has no card for this cycle", () => {
    expect(nextCardStep({ ...scanning, card: undefined, now: at("10:00:00") })).toEqual({ step: "post" });
    expect(nextCardStep({ ...scanning, cycleKey: "cycle-2", card: card(), now: at("10:00:10") })).toEqual({
      step: "post",
    });
    // A finished card of an earlier cycle is no card for this one.
    expect(
      nextCardStep({ ...scanning, cycleKey: "cycle-2", card: card({ state: "finished" }), now: at("10:00:10") }),
    ).toEqual({ step: "post" });
  });

  it("edits a live card only when what it shows changed and its next edit is due", () => {
    expect(nextCardStep({ ...scanning, card: card(), now: at("10:00:59") })).toEqual({ step: "wait", why: "too soon" });
    expect(nextCardStep({ ...scanning, card: card(), now: at("10:01:00") })).toEqual({ step: "edit" });
    expect(nextCardStep({ ...scanning, shown: "A", card: card(), now: at("10:30:00") })).toEqual({
      step: "wait",
      why: "unchanged",
    });
    expect(nextCardStep({ ...scanning, card: card({ state: "lost" }), now: at("10:30:00") })).toEqual({
      step: "wait",
      why: "done",
    });
  });

  it("turns a live card into the summary when the scan ends, under the same limit, and then leaves it", () => {
    const idle = { scanning: false, cycleKey: "cycle-1", shown: "" };
    expect(nextCardStep({ ...idle, card: card(), now: at("10:00:30") })).toEqual({ step: "wait", why: "too soon" });
    expect(nextCardStep({ ...idle, card: card(), now: at("10:01:00") })).toEqual({ step: "finish" });
    expect(nextCardStep({ ...idle, card: card({ state: "finished" }), now: at("11:00:00") })).toEqual({
      step: "wait",
      why: "not scanning",
    });
    expect(nextCardStep({ ...idle, card: undefined, now: at("11:00:00") })).toEqual({
      step: "wait",
      why: "not scanning",
    });
  });

  it("names the cycle by the scanner's StartTime, else the live card's cycle, else the estimated start", () => {
    const now = at("10:05:00");
    expect(cycleKeyOf({ startKey: "2026-11-25T09:00:00Z", startedAt: undefined }, card(), now)).toBe(
      "2026-11-25T09:00:00Z",
    );
    expect(cycleKeyOf({ startKey: null, startedAt: at("09:30:00").getTime() }, card(), now)).toBe("cycle-1");
    expect(cycleKeyOf({ startKey: null, startedAt: at("09:30:00").getTime() }, card({ state: "finished" }), now)).toBe(
      "2026-11-25T09:30:00.000Z",
    );
    expect(cycleKeyOf({ startKey: null, startedAt: undefined }, undefined, now)).toBe("2026-11-25T10:05:00.000Z");
  });

  it("spreads edits out when a platform has more live cards than edits a minute, and honours Retry-After", () => {
    expect(editIntervalMs(1, 40)).toBe(60_000);
    expect(editIntervalMs(40, 40)).toBe(60_000);
    expect(editIntervalMs(250, 40)).toBe(375_000);
    expect(nextEditAfter(at("10:00:00"), 60_000)).toBe("2026-11-25T10:01:00.000Z");
    expect(nextEditAfter(at("10:00:00"), 60_000, 150_000)).toBe("2026-11-25T10:02:30.000Z");
  });
});

function nodeView(node: string, files: number | undefined): NodeProgressView {
  const samples = files === undefined ? [] : [{ at: at("10:00:00").getTime(), files, bytes: files * 1000 }];
  return {
    current: {
      node,
      cluster: "contoso-prod",
      startKey: null,
      samples,
      latest: samples.at(-1),
      rate: undefined,
      scanning: true,
      lastSeenAt: at("10:00:00").getTime(),
    },
    previous: undefined,
  };
}

const view = (nodes: NodeProgressView[], over: Partial<ClusterProgressView> = {}): ClusterProgressView => ({
  cluster: "contoso-prod",
  nodes,
  scannedFiles: nodes.reduce((n, v) => n + (v.current.latest?.files ?? 0), 0),
  scannedBytes: 0,
  rate: undefined,
  scanning: true,
  repositories: undefined,
  previous: undefined,
  startedAt: at("09:50:00").getTime(),
  startKey: "2026-11-25T09:50:00Z",
  ...over,
});

describe("what the card shows", () => {
  it("lists a node without counters as such, and says there is no rate or basis yet", () => {
    const { reply } = liveCardVersion(
      view([nodeView("scan-01", 1200), nodeView("scan-02", undefined)]),
      at("10:00:00"),
    );
    expect(reply.text).toBe("contoso-prod scanning: 1,200 files · no rate yet");
    const table = reply.blocks.find((b) => b.kind === "table");
    expect(table?.kind === "table" && table.rows.map((r) => r.cells)).toEqual([
      ["scan-01", "1,200", "—", "—"],
      ["scan-02", "no counters", "no counters", "—"],
    ]);
    expect(JSON.stringify(reply)).toContain("no completed cycle seen yet: rate only, no percent or ETA");
  });

  it("keeps the percent in its one line (the console's) when there is no ETA, and says why", () => {
    const previous = {
      cluster: "contoso-prod",
      startKey: "2026-11-24T09:00:00Z",
      startedAt: "2026-11-24T09:00:00.000Z",
      finishedAt: "2026-11-24T10:00:00.000Z",
      scannedFiles: 6000,
      scannedBytes: 0,
      failedFiles: 0,
      repositories: 3,
      nodeFiles: { "scan-01": 6000 },
      curve: [],
    };
    const noRate = liveCardVersion(view([nodeView("scan-01", 1200)], { previous }), at("10:00:00"));
    expect(noRate.reply.text).toBe("contoso-prod scanning: 1,200 files · no rate yet · about 20 %, no ETA yet");
    const flat = {
      filesPerHour: 0,
      bytesPerHour: 0,
      recentFilesPerHour: 0,
      trend: "stopped moving" as const,
      spanMs: 600_000,
    };
    const stuck = liveCardVersion(view([nodeView("scan-01", 1200)], { previous, rate: flat }), at("10:00:00"));
    expect(stuck.reply.text).toBe("contoso-prod scanning: 1,200 files · 0 files/h · about 20 %, not moving");
    const past = liveCardVersion(view([nodeView("scan-01", 7000)], { previous }), at("10:00:00"));
    expect(past.reply.text).toBe(
      "contoso-prod scanning: 7,000 files · no rate yet · past the previous cycle's 6,000 files",
    );
  });

  it("says so when no node has reported yet", () => {
    const { reply } = liveCardVersion(view([]), at("10:00:00"));
    expect(reply.blocks).toContainEqual({ kind: "text", text: "No node has reported counters yet." });
  });

  it("looks the same a minute later when nothing moved (the 'as of' time does not count)", () => {
    const v = view([nodeView("scan-01", 1200)]);
    const first = liveCardVersion(v, at("10:00:00"));
    const later = liveCardVersion(v, at("10:01:00"));
    expect(later.shown).toBe(first.shown);
    expect(later.reply).not.toEqual(first.reply);
    expect(liveCardVersion(view([nodeView("scan-01", 1300)]), at("10:01:00")).shown).not.toBe(first.shown);
  });

  it("sums up a cycle that stopped before it completed without claiming failures it does not know", () => {
    const { reply } = summaryCardVersion({
      view: view([nodeView("scan-01", 1200)], { scanning: false }),
      cycle: undefined,
      cardCreatedAt: "2026-11-25T09:51:00.000Z",
      now: at("10:20:00"),
    });
    expect(reply.text).toBe("contoso-prod: scan stopped after 30m at 1,200 files, before it completed");
    expect(reply.status).toBe("warn");
    expect(JSON.stringify(reply)).toContain("not known (the cycle did not complete)");
  });
});
