import { describe, expect, it } from "vitest";
import { slowButAliveRule } from "../../src/watch/rules/slowButAliveRule.js";
import { stallRule } from "../../src/watch/rules/stallRule.js";
import { at, input, scanningAt } from "./ruleFixtures.js";

describe("slowButAliveRule", () => {
  /** Counters frozen at minute 10, the report growing every minute until `until`. */
  function growingReport(until: number) {
    const frozen = scanningAt(10);
    return Array.from({ length: until - 9 }, (_, i) => ({
      ...frozen,
      at: at(10 + i),
      lastAt: at(10 + i),
      reportSize: (frozen.reportSize ?? 0) + i * 48,
    }));
  }

  it("reports a scan with flat counters and a growing report after stallAfter, and the stall rule stays quiet", () => {
    const history = growingReport(45);
    expect(slowButAliveRule(input(history, 45))).toMatchObject({ countersFlatSince: at(10), reportGrewAt: at(45) });
    expect(stallRule(input(history, 45))).toBeUndefined();
  });

  it("is not shown before stallAfter", () => {
    expect(slowButAliveRule(input(growingReport(30), 30))).toBeUndefined();
  });

  it("is not slow-but-alive once the report stops growing too (that is a stall)", () => {
    const history = growingReport(20);
    expect(slowButAliveRule(input(history, 55))).toBeUndefined();
    expect(stallRule(input(history, 55))?.kind).toBe("stalled");
  });
});
