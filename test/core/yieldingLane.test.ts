import { describe, expect, it } from "vitest";
import { createYieldingLane } from "../../src/routing/yieldingLane.js";

/** Lets the event loop run a few turns (immediates and 1 ms timers). */
const turns = async (n = 5) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setTimeout(resolve, 2));
};

/** A lane on a clock the test moves by hand. */
function laneAt(options: { maxWaitMs?: number; quietMs?: number } = {}) {
  let clock = 1000;
  const lane = createYieldingLane({ now: () => clock, ...options });
  return { lane, advance: (ms: number) => (clock += ms) };
}

describe("yielding lane", () => {
  it("lets work through on the next turn when no request is open", async () => {
    const { lane } = laneAt();
    let ran = false;
    void lane.turn().then(() => {
      ran = true;
    });
    expect(ran).toBe(false);
    await turns(1);
    expect(ran).toBe(true);
    expect(lane.waiting).toBe(0);
  });

  it("holds work while a request is open and for the quiet window after it closes", async () => {
    const { lane, advance } = laneAt({ quietMs: 5 });
    const closeRequest = lane.opened();
    const order: string[] = [];
    void lane.turn().then(() => order.push("work"));
    await turns();
    expect(order).toEqual([]);
    closeRequest();
    closeRequest(); // closing twice counts once
    await turns();
    expect(order).toEqual([]); // closed, but a request arrived less than quietMs ago
    advance(5);
    await turns();
    expect(order).toEqual(["work"]);
  });

  it("releases one piece of work per turn, oldest first", async () => {
    const { lane } = laneAt();
    const order: number[] = [];
    for (const n of [1, 2, 3]) void lane.turn().then(() => order.push(n));
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([1]);
    await turns();
    expect(order).toEqual([1, 2, 3]);
  });

  it("never holds work longer than maxWaitMs, even behind a request that stays open", async () => {
    const { lane, advance } = laneAt({ maxWaitMs: 500 });
    lane.opened();
    let ran = 0;
    void lane.turn().then(() => ran++);
    void lane.turn().then(() => ran++);
    await turns();
    expect(ran).toBe(0);
    advance(499);
    await turns();
    expect(ran).toBe(0);
    advance(1);
    await turns();
    // Everything overdue goes at once: under steady load answers come late, never not at all.
    expect(ran).toBe(2);
  });
});
