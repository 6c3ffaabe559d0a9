import { afterAll, describe, expect, it, vi } from "vitest";
import { DeliveryError } from "../../src/delivery/delivery.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { reply } from "../../src/reply/reply.js";
import { SqliteStore } from "../../src/store/sqliteStore.js";
import { NotificationSender } from "../../src/watch/notificationSender.js";
import { RecordingDelivery } from "./watchHarness.js";

describe("NotificationSender", () => {
  const store = new SqliteStore(":memory:");
  afterAll(async () => {
    await store.close();
  });

  const job = (key: string, conversationId = "C0SCANOPS") => ({
    key,
    kind: "open" as const,
    incidentId: null,
    platform: "slack" as const,
    conversationId,
    reply: reply(`alert ${key}`).build(),
  });

  it("waits the platform's retryAfterMs before retrying a rate-limited send, then gives up after the retries", async () => {
    const delivery = new RecordingDelivery();
    const waits: number[] = [];
    const sender = new NotificationSender({
      store,
      deliveries: { slack: delivery },
      logger: silentLogger(),
      now: () => new Date("2026-11-25T03:00:00.000Z"),
      channelIntervalMs: 0,
      maxRateLimitRetries: 2,
      sleep: async (ms) => {
        waits.push(ms);
      },
    });
    delivery.failures.set("C0SCANOPS", [new DeliveryError("rate_limited", "ratelimited", 30_000)]);
    expect(await sender.send(job("a"))).toMatchObject({ state: "sent" });
    expect(waits).toEqual([30_000]);
    expect((await store.getNotification("a"))?.state).toBe("sent");

    delivery.failures.set(
      "C0SCANOPS",
      [1, 2, 3].map(() => new DeliveryError("rate_limited", "ratelimited", 5_000)),
    );
    expect(await sender.send(job("b"))).toMatchObject({ state: "failed" });
    expect(waits).toEqual([30_000, 5_000, 5_000]);
    expect(await store.getNotification("b")).toMatchObject({ state: "failed", error: "rate_limited: ratelimited" });
    // A key is sent at most once, even when asked again.
    expect(await sender.send(job("a"))).toEqual({ state: "duplicate" });
  });

  it("lists a conversation whose send failed (for watch status) until a send there succeeds", async () => {
    const delivery = new RecordingDelivery("slack-webhook");
    let now = Date.parse("2026-11-25T03:00:00.000Z");
    const sender = new NotificationSender({
      store,
      deliveries: { "slack-webhook": delivery },
      logger: silentLogger(),
      now: () => new Date(now),
      channelIntervalMs: 0,
    });
    const hookJob = (key: string, conversationId: string) => ({
      ...job(key, conversationId),
      platform: "slack-webhook" as const,
    });
    delivery.failures.set("ops-alerts", [
      new DeliveryError("failed", "Slack webhook: gave up after 6 tries in 31s (last: 503)"),
      new DeliveryError("failed", "Slack webhook refused the message: 404 no_service"),
    ]);
    expect(await sender.send(hookJob("h1", "ops-alerts"))).toMatchObject({ state: "failed" });
    now += 60_000;
    expect(await sender.send(hookJob("h2", "ops-alerts"))).toMatchObject({ state: "failed" });
    expect(await sender.send(hookJob("h3", "other"))).toMatchObject({ state: "sent" });
    expect(sender.deliveryProblems()).toEqual([
      {
        platform: "slack-webhook",
        conversationId: "ops-alerts",
        since: "2026-11-25T03:00:00.000Z",
        failures: 2,
        lastError: "Slack webhook refused the message: 404 no_service",
      },
    ]);
    expect(await sender.send(hookJob("h4", "ops-alerts"))).toMatchObject({ state: "sent" });
    expect(sender.deliveryProblems()).toEqual([]);
  });

  it("spaces messages to one conversation by the interval, in order, while other conversations do not wait", async () => {
    // A fake clock: the spacing is checked exactly, not against how busy the machine is.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    try {
      const delivery = new RecordingDelivery();
      const sender = new NotificationSender({
        store,
        deliveries: { slack: delivery },
        logger: silentLogger(),
        now: () => new Date(),
        channelIntervalMs: 40,
      });
      const posted = () => delivery.posts.map((p) => p.reply.text);
      const sends = Promise.all([sender.send(job("1")), sender.send(job("2")), sender.send(job("x", "C0OTHER"))]);
      await vi.advanceTimersByTimeAsync(0);
      expect(posted()).toEqual(["alert 1", "alert x"]);
      await vi.advanceTimersByTimeAsync(39);
      expect(posted()).toEqual(["alert 1", "alert x"]);
      await vi.advanceTimersByTimeAsync(1);
      expect(posted()).toEqual(["alert 1", "alert x", "alert 2"]);
      await sends;
      await sender.idle();
    } finally {
      vi.useRealTimers();
    }
  });

  it("fails clearly when no delivery exists for the platform", async () => {
    const sender = new NotificationSender({ store, deliveries: {}, logger: silentLogger(), now: () => new Date() });
    expect(await sender.send(job("t"))).toEqual({ state: "failed", error: "no slack delivery is configured" });
  });
});
