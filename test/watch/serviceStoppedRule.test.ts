import { describe, expect, it } from "vitest";
import { serviceStoppedRule } from "../../src/watch/rules/serviceStoppedRule.js";
import { at, input, run, scanningAt } from "./ruleFixtures.js";

const stopped = (from: number, to: number) =>
  run(from, to, {
    ...scanningAt(from),
    service: "Stopped",
    scanning: false,
    clusterStatus: "Offline",
    nodeStatus: "Offline",
  });

describe("serviceStoppedRule", () => {
  it("fires when the service is stopped while another node of the cluster scans", () => {
    const finding = serviceStoppedRule(input([scanningAt(0), stopped(1, 1)], 1, { clusterScanning: true }));
    expect(finding).toMatchObject({ kind: "service_stopped", since: at(1), detail: { service: "Stopped" } });
  });

  it("stays quiet within 5 minutes of a stop of the cluster's scan", () => {
    const history = [scanningAt(0), stopped(1, 4)];
    expect(
      serviceStoppedRule(input(history, 4, { clusterScanning: true, lastStopAt: new Date(at(1)) })),
    ).toBeUndefined();
    expect(serviceStoppedRule(input(history, 7, { clusterScanning: true, lastStopAt: new Date(at(1)) }))?.kind).toBe(
      "service_stopped",
    );
  });

  it("on a node that was scanning alone, waits out the stop grace before alerting", () => {
    expect(serviceStoppedRule(input([scanningAt(0), stopped(1, 4)], 4))).toBeUndefined();
    expect(serviceStoppedRule(input([scanningAt(0), stopped(1, 6)], 6))?.kind).toBe("service_stopped");
  });

  it("ignores a stopped service when nothing scans (an idle cluster)", () => {
    const idle = { ...scanningAt(0), scanning: false, clusterStatus: "Idle" as const, nodeStatus: "Idle" };
    expect(serviceStoppedRule(input([idle, stopped(1, 30)], 30))).toBeUndefined();
  });
});
