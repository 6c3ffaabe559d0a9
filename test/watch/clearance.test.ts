import { describe, expect, it } from "vitest";
import { incidentKindSchema } from "../../src/store/store.js";
import { incidentCleared } from "../../src/watch/rules/clearance.js";
import { input, run, scanningAt, unreachableAt } from "./ruleFixtures.js";

describe("incidentCleared", () => {
  const kinds = incidentKindSchema.options;

  it("never clears anything on silence or on no history", () => {
    for (const kind of kinds) {
      expect(incidentCleared(kind, input([], 10)), kind).toBe(false);
      expect(incidentCleared(kind, input([run(0, 5, scanningAt(0)), unreachableAt(6, 4)], 10)), kind).toBe(false);
    }
  });

  it("clears unreachable and error incidents on a poll that reached the agent", () => {
    const history = [unreachableAt(0, 5), scanningAt(5)];
    expect(incidentCleared("unreachable", input(history, 5))).toBe(true);
    expect(incidentCleared("error_state", input(history, 5))).toBe(true);
  });

  it("clears a stopped service only when it runs again or the scan it stopped is over", () => {
    const stopped = scanningAt(0, { service: "Stopped", scanning: false, nodeStatus: "Stopped" });
    expect(incidentCleared("service_stopped", input([stopped], 0))).toBe(false);
    expect(incidentCleared("service_stopped", input([stopped, scanningAt(1)], 1))).toBe(true);
    const idle = { ...stopped, at: scanningAt(1).at, lastAt: scanningAt(1).lastAt, clusterStatus: "Idle" as const };
    expect(incidentCleared("service_stopped", input([stopped, idle], 1))).toBe(true);
    expect(incidentCleared("service_stopped", input([stopped, idle], 1, { clusterScanning: true }))).toBe(false);
  });

  it("clears a stall on progress seen across a silence, not on the silence", () => {
    const frozen = scanningAt(10);
    expect(incidentCleared("stalled", input([run(10, 40, frozen), unreachableAt(41, 3)], 43))).toBe(false);
    expect(
      incidentCleared("stalled", input([run(10, 40, frozen), unreachableAt(41, 3), run(44, 45, frozen)], 45)),
    ).toBe(false);
    expect(incidentCleared("stalled", input([run(10, 40, frozen), unreachableAt(41, 3), scanningAt(44)], 44))).toBe(
      true,
    );
  });
});
