import { afterEach, describe, expect, it } from "vitest";
import { DeliveryError } from "../../src/delivery/delivery.js";
import { postWebhook, retryAfterMs } from "../../src/delivery/webhookPoster.js";
import { slackWebhookJudge, WebhookStandIn } from "./webhookStandIns.js";

/** A policy on a fake clock: every wait is recorded and moves the clock, nothing really sleeps. */
function fakeTime() {
  let clock = 0;
  const waits: number[] = [];
  return {
    waits,
    policy: {
      now: () => clock,
      sleep: async (ms: number) => {
        waits.push(ms);
        clock += ms;
      },
    },
  };
}

const payload = { text: "scan-01: scan stalled", blocks: [{ type: "section", text: { type: "mrkdwn", text: "hi" } }] };

describe("postWebhook", () => {
  const standIns: WebhookStandIn[] = [];
  afterEach(async () => {
    for (const s of standIns.splice(0)) await s.close();
  });
  const slack = async () => {
    const s = await WebhookStandIn.start(slackWebhookJudge, "/services/T0001/B0002/SeCrEtPaRt");
    standIns.push(s);
    return s;
  };

  it("waits as long as a 429's Retry-After says, then posts once", async () => {
    const hook = await slack();
    hook.script.push({ status: 429, body: "rate_limited", headers: { "retry-after": "7" } });
    const time = fakeTime();
    const answer = await postWebhook(hook.url, payload, "Slack webhook", time.policy);
    expect(answer).toEqual({ status: 200, attempts: 2 });
    expect(time.waits).toEqual([7000]);
    expect(hook.accepted()).toEqual([payload]);
  });

  it("backs off 1, 2, 4, 8, 16 s on 5xx and gives up after 6 tries, saying so without the URL", async () => {
    const hook = await slack();
    for (let i = 0; i < 6; i++) hook.script.push({ status: 503, body: "service_unavailable" });
    const time = fakeTime();
    const error = await postWebhook(hook.url, payload, "Slack webhook", time.policy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as DeliveryError).kind).toBe("failed");
    expect((error as DeliveryError).message).toBe(
      "Slack webhook: gave up after 6 tries in 31s (last: 503 service_unavailable)",
    );
    expect((error as Error).message).not.toContain("SeCrEtPaRt");
    expect(time.waits).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(hook.received).toHaveLength(6);
  });

  it("gives up when the next wait would pass the budget", async () => {
    const hook = await slack();
    hook.script.push({ status: 429, headers: { "retry-after": "120" } });
    const time = fakeTime();
    const error = await postWebhook(hook.url, payload, "Slack webhook", { ...time.policy, budgetMs: 60_000 }).catch(
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(DeliveryError);
    expect((error as Error).message).toMatch(/gave up after 1 try in 0ms \(last: 429\)/);
    expect(time.waits).toEqual([]);
  });

  it("does not retry a refusal: the payload or the webhook itself is wrong", async () => {
    const hook = await slack();
    const time = fakeTime();
    const error = await postWebhook(hook.url, { blocks: [] }, "Slack webhook", time.policy).catch((e: unknown) => e);
    expect((error as Error).message).toBe("Slack webhook refused the message: 400 no_text");
    hook.script.push({ status: 404, body: "no_service" });
    const gone = await postWebhook(hook.url, payload, "Slack webhook", time.policy).catch((e: unknown) => e);
    expect((gone as Error).message).toBe("Slack webhook refused the message: 404 no_service");
    expect(hook.received).toHaveLength(2);
    expect(time.waits).toEqual([]);
  });

  it("retries a connection that is refused and names only the network error", async () => {
    const hook = await slack();
    const url = hook.url;
    await hook.close();
    standIns.pop();
    const time = fakeTime();
    const error = await postWebhook(url, payload, "Teams workflow", { ...time.policy, maxAttempts: 3 }).catch(
      (e: unknown) => e as Error,
    );
    expect((error as Error).message).toBe(
      "Teams workflow: gave up after 3 tries in 3s (last: network error ECONNREFUSED)",
    );
    expect((error as Error).message).not.toContain("127.0.0.1");
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    expect(retryAfterMs("3", 0)).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs("soon", 0)).toBeUndefined();
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });
});
