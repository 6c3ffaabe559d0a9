import { describe, expect, it } from "vitest";
import { endToEndTestTimeoutMs } from "../support/until.js";
import { percentile, runSlackBurst } from "./slackBurst.js";

/**
 * 320 slash commands (two bursts of 160) through the Slack HTTP receiver, over three
 * loopback agents with a fleet limit of 4: every request acknowledged, every
 * answer delivered exactly once (in the ack or at its response_url), the
 * fleet never above its limit, the heap back near where it started. The
 * 1,000-request run with timings is `npm run bench:load`.
 */
describe("Slack burst", () => {
  it("acks all 320, loses none, stays within the fleet limit and leaves the heap flat", {
    timeout: endToEndTestTimeoutMs,
  }, async () => {
    const result = await runSlackBurst({ total: 160, rounds: 2, nodes: 3, concurrency: 4, agentDelayMs: 5 });
    expect(result.acked).toBe(320);
    expect(result.lost).toEqual([]);
    expect(result.answeredInAck).toBe(160);
    expect(result.delayedReceived).toBe(result.delayedExpected);
    expect(result.duplicates).toBe(0);
    // `status` asks every node, `status <node>` one: 2 × (40 × 3 + 40) = 320 status reads at most, never a
    // read repeated for one command, and nothing else (an agent that sends its release in the status answer
    // is not asked for health). How many reads overlap and share one agent call depends on how fast the
    // machine answers, so this load test does not count on it (test/fleet/sharedReads.test.ts checks that).
    expect(result.agentCallsByProbe.status).toBeLessThanOrEqual(320);
    // Besides: once per process, each node's last and previous Summary report (the progress estimate's basis
    // when no completed cycle is kept), never again during the burst.
    expect(result.agentCallsByProbe.report).toBeLessThanOrEqual(2 * 3);
    expect(result.agentCalls).toBe(result.agentCallsByProbe.status + result.agentCallsByProbe.report);
    expect(result.agentCalls).toBeGreaterThanOrEqual(2 * 3);
    expect(result.maxAgentInFlight).toBeLessThanOrEqual(4);
    expect(result.maxAgentInFlight).toBeGreaterThan(1);
    expect(result.maxFleetRunning).toBeLessThanOrEqual(4);
    // Garbage collected before both readings when the runtime allows it; a loose bound otherwise.
    const [first = 0, second = 0] = result.heapAfterRounds;
    const bound = (result.gcForced ? 20 : 80) * 1024 * 1024;
    expect(first - result.heapBeforeBytes).toBeLessThan(bound);
    // The second burst of the same size adds nothing that stays: no leak per command.
    expect(second - first).toBeLessThan(bound / 4);
    expect(percentile(result.ackMs, 50)).toBeGreaterThan(0);
  });
});
