import { describe, expect, it } from "vitest";
import { unreachableRule } from "../../src/watch/rules/unreachableRule.js";
import { at, input, scanningAt, unreachableAt } from "./ruleFixtures.js";

describe("unreachableRule", () => {
  it("fires at the third failed poll in a row (default), not before", () => {
    expect(unreachableRule(input([scanningAt(0), unreachableAt(1, 2)], 2))).toBeUndefined();
    expect(unreachableRule(input([scanningAt(0), unreachableAt(1, 3)], 3))).toMatchObject({
      kind: "unreachable",
      since: at(1),
      detail: { failures: 3, errorCode: "agent_unreachable" },
    });
  });

  it("counts failures of different kinds together", () => {
    const timeout = { ...unreachableAt(3, 1), errorCode: "agent_timeout" };
    expect(unreachableRule(input([unreachableAt(1, 2), timeout], 3))?.detail).toMatchObject({ failures: 3 });
  });

  it("a flapping agent (down, up, down) never reaches the threshold", () => {
    const history = [unreachableAt(0, 2), scanningAt(2), unreachableAt(3, 2), scanningAt(5), unreachableAt(6, 2)];
    expect(unreachableRule(input(history, 7))).toBeUndefined();
  });

  it("honours unreachableAfterPolls", () => {
    const settings = { ...input([], 0).settings, unreachableAfterPolls: 1 };
    expect(unreachableRule(input([unreachableAt(1)], 1, { settings }))?.kind).toBe("unreachable");
  });
});
