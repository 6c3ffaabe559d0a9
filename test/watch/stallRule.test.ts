import { describe, expect, it } from "vitest";
import { stallCleared, stallRule } from "../../src/watch/rules/stallRule.js";
import { at, input, run, scanningAt } from "./ruleFixtures.js";

describe("stallRule", () => {
  const frozen = scanningAt(10);

  it("stays quiet while counters move", () => {
    const history = Array.from({ length: 61 }, (_, m) => scanningAt(m));
    expect(stallRule(input(history, 60))).toBeUndefined();
  });

  it("fires once counters and the report have been flat for stallAfter (30m), not a minute sooner", () => {
    expect(stallRule(input([scanningAt(9), run(10, 39, frozen)], 39))).toBeUndefined();
    const finding = stallRule(input([scanningAt(9), run(10, 40, frozen)], 40));
    expect(finding).toMatchObject({
      kind: "stalled",
      since: at(10),
      kbId: "stuck-scanner-processes",
      detail: { scannedFiles: 1010, repository: "\\\\fs01\\finance", lastProgressAt: at(10) },
    });
    expect(finding?.summary).toBe("No scan progress for 30m");
  });

  it("treats a growing detailed report as progress (the article's test)", () => {
    const history = [run(10, 30, frozen), { ...run(31, 45, frozen), reportSize: (frozen.reportSize ?? 0) + 48 }];
    expect(stallRule(input(history, 45))).toBeUndefined();
  });

  it("ignores nodes that are not scanning and unreachable polls", () => {
    expect(stallRule(input([run(0, 60, { ...frozen, scanning: false, nodeStatus: "Idle" })], 60))).toBeUndefined();
    expect(stallRule(input([run(0, 60, { ...frozen, reachable: false })], 60))).toBeUndefined();
  });

  it("honours a per-cluster stallAfter", () => {
    const history = [run(10, 25, frozen)];
    const settings = { ...input([], 0).settings, stallAfter: 15 * 60_000 };
    expect(stallRule(input(history, 25, { settings }))?.kind).toBe("stalled");
  });

  it("does not count an Always schedule's restart (new start time, counters reset) as a stall", () => {
    const restarted = scanningAt(40, { startTime: at(40), scannedFiles: 3, scannedBytes: 9000, reportSize: 412 });
    expect(stallRule(input([run(0, 39, frozen), run(40, 41, restarted)], 41))).toBeUndefined();
  });
});

describe("stallCleared", () => {
  const frozen = scanningAt(10);
  it("needs evidence of progress or of the scan ending; an empty or one-run history is not evidence", () => {
    expect(stallCleared(input([], 50))).toBe(false);
    expect(stallCleared(input([run(10, 50, frozen)], 50))).toBe(false);
    expect(stallCleared(input([run(10, 50, frozen), scanningAt(51)], 51))).toBe(true);
    expect(stallCleared(input([run(10, 50, frozen), { ...scanningAt(51), scanning: false }], 51))).toBe(true);
  });
});

describe("stallRule without progress signals", () => {
  it("does not call a node stalled when it reports neither counters nor a detailed report", () => {
    const blind = run(0, 60, {
      ...scanningAt(0),
      scannedFiles: undefined,
      scannedBytes: undefined,
      reportPath: undefined,
      reportSize: undefined,
    });
    expect(stallRule(input([blind], 60))).toBeUndefined();
  });
});
