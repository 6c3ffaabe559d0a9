import { describe, expect, it } from "vitest";
import { finishedRule } from "../../src/watch/rules/finishedRule.js";
import { at, scanningAt } from "./ruleFixtures.js";

const idleAt = (m: number, over = {}) => ({
  ...scanningAt(m),
  scanning: false,
  clusterStatus: "Idle" as const,
  nodeStatus: "Idle",
  repositoriesDone: true,
  ...over,
});

describe("finishedRule", () => {
  it("reports the totals when the last node of the cluster goes idle with every repository finished", () => {
    const a = [scanningAt(0), idleAt(1, { scannedFiles: 500, scannedBytes: 10 })];
    const b = [scanningAt(0), idleAt(1, { scannedFiles: 700, scannedBytes: 20, failedFiles: 3 })];
    expect(finishedRule("contoso-prod", [a, b])).toEqual({
      cluster: "contoso-prod",
      startTime: "2026-11-25T00:45:00.000Z",
      finishedAt: at(1),
      nodes: 2,
      scannedFiles: 1200,
      failedFiles: 3,
      scannedBytes: 30,
    });
  });

  it("waits while another node still scans, and ignores a stop with unfinished repositories", () => {
    expect(
      finishedRule("c", [
        [scanningAt(0), idleAt(1)],
        [scanningAt(0), scanningAt(1)],
      ]),
    ).toBeUndefined();
    expect(finishedRule("c", [[scanningAt(0), idleAt(1, { repositoriesDone: false })]])).toBeUndefined();
  });

  it("reports once: a cluster that stays idle is not finished again", () => {
    expect(finishedRule("c", [[scanningAt(0), { ...idleAt(1), polls: 2, lastAt: at(2) }]])).toBeUndefined();
  });
});
