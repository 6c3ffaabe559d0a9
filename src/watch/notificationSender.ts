import PQueue from "p-queue";
import { type Delivery, DeliveryError, type Platform, type PostedMessage } from "../delivery/delivery.js";
import type { Logger } from "../foundation/logger.js";
import type { Reply } from "../reply/reply.js";
import { newReplicaId } from "../store/leases.js";
import type { ClaimGuard, NotificationKind, Store } from "../store/store.js";

/** One proactive message to one conversation, under an idempotency key. */
export interface SendJob {
  key: string;
  kind: NotificationKind;
  incidentId: number | null;
  /** The cluster the message is about: whoever holds it next settles the claim if this process dies. */
  cluster?: string;
  platform: Platform;
  conversationId: string;
  reply: Reply;
  threadOf?: PostedMessage;
}

export type SendOutcome =
  | { state: "sent"; posted: PostedMessage }
  | { state: "duplicate" }
  | { state: "failed" | "gone"; error: string };

/** A conversation whose last proactive message failed: shown by `watch status` until a send succeeds. */
export interface DeliveryProblem {
  platform: Platform;
  conversationId: string;
  /** When the first failure of this run of failures happened. */
  since: string;
  failures: number;
  lastError: string;
}

export interface NotificationSenderOptions {
  store: Store;
  deliveries: Partial<Record<Platform, Delivery>>;
  logger: Logger;
  now: () => Date;
  /** This replica's id, written on every claim; a fresh one per process by default. */
  replicaId?: string;
  /** Least time between two sends to one conversation; Slack and Teams allow about one message a second. */
  channelIntervalMs?: number;
  /** How often a rate-limited send is retried before it counts as failed. */
  maxRateLimitRetries?: number;
  /** Waits before a retry; tests pass a fast one. */
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends proactive messages through the Delivery of each conversation's
 * platform: one queue per conversation (ordered, rate-limited), the
 * notification log written before and after each send, `gone` conversations
 * retired with their subscriptions, `rate_limited` retried after the wait the
 * platform asked for.
 */
export class NotificationSender {
  private readonly queues = new Map<string, PQueue>();
  private readonly problems = new Map<string, DeliveryProblem>();
  private readonly interval: number;
  private readonly retries: number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Every change after the claim applies only while the row is still our claim (see ClaimGuard). */
  private readonly claim: ClaimGuard;

  constructor(private readonly options: NotificationSenderOptions) {
    this.claim = { claimedBy: options.replicaId ?? newReplicaId() };
    this.interval = options.channelIntervalMs ?? 1100;
    this.retries = options.maxRateLimitRetries ?? 3;
    this.sleep = options.sleep ?? defaultSleep;
  }

  private queueFor(platform: Platform, conversationId: string): PQueue {
    const id = `${platform}:${conversationId}`;
    let queue = this.queues.get(id);
    if (!queue) {
      queue =
        this.interval > 0
          ? // Strict (sliding window): never two messages to one conversation closer than the interval.
            new PQueue({ concurrency: 1, intervalCap: 1, interval: this.interval, strict: true })
          : new PQueue({ concurrency: 1 });
      this.queues.set(id, queue);
    }
    return queue;
  }

  /** Claims the key, then queues the send; `duplicate` when the key was claimed before (by us or a previous run). */
  async send(job: SendJob): Promise<SendOutcome> {
    const { store } = this.options;
    const claimed = await store.claimNotification({
      key: job.key,
      kind: job.kind,
      incidentId: job.incidentId,
      cluster: job.cluster ?? null,
      claimedBy: this.claim.claimedBy,
      platform: job.platform,
      conversationId: job.conversationId,
      createdAt: this.options.now().toISOString(),
    });
    if (!claimed) return { state: "duplicate" };
    const queue = this.queueFor(job.platform, job.conversationId);
    return (await queue.add(() => this.deliver(job))) as SendOutcome;
  }

  /** Updates a message in place (the alert card once resolved). Failures are logged, not raised: the thread reply carries the news. */
  async update(message: PostedMessage, reply: Reply): Promise<void> {
    const delivery = this.options.deliveries[message.platform];
    if (!delivery) return;
    const queue = this.queueFor(message.platform, message.conversationId);
    await queue.add(async () => {
      try {
        await delivery.update(message, reply);
      } catch (err) {
        this.options.logger.warn({ err, messageId: message.messageId }, "could not update a proactive message");
      }
    });
  }

  /** Whether a Delivery for `platform` is there (they are filled in as the adapters start). */
  canDeliver(platform: Platform): boolean {
    return this.options.deliveries[platform] !== undefined;
  }

  /**
   * Runs a live card's post or edit in the conversation's queue, paced like
   * every other message there. Errors come back to the caller (the card
   * decides what a deleted message or a rate limit means).
   */
  async paced<T>(platform: Platform, conversationId: string, work: (delivery: Delivery) => Promise<T>): Promise<T> {
    const delivery = this.options.deliveries[platform];
    if (!delivery) throw new DeliveryError("failed", `no ${platform} delivery is configured`);
    return (await this.queueFor(platform, conversationId).add(() => work(delivery))) as T;
  }

  private async deliver(job: SendJob): Promise<SendOutcome> {
    const { store, logger } = this.options;
    const delivery = this.options.deliveries[job.platform];
    if (!delivery) {
      const error = `no ${job.platform} delivery is configured`;
      await store.failNotification(job.key, error, this.claim);
      logger.warn({ key: job.key }, error);
      this.noteOutcome(job, error);
      return { state: "failed", error };
    }
    const known = await store.getConversation(job.platform, job.conversationId);
    const to = { platform: job.platform, conversationId: job.conversationId, reference: known?.reference };
    for (let attempt = 0; ; attempt++) {
      try {
        const posted = await delivery.post(to, job.reply, job.threadOf ? { threadOf: job.threadOf } : {});
        await store.completeNotification(
          job.key,
          { messageId: posted.messageId, ...(posted.threadId ? { threadId: posted.threadId } : {}) },
          this.options.now().toISOString(),
          this.claim,
        );
        this.noteOutcome(job);
        return { state: "sent", posted };
      } catch (err) {
        const kind = err instanceof DeliveryError ? err.kind : "failed";
        const message = err instanceof Error ? err.message : String(err);
        if (kind === "rate_limited" && attempt < this.retries) {
          const wait = err instanceof DeliveryError && err.retryAfterMs !== undefined ? err.retryAfterMs : 1000;
          logger.info({ key: job.key, wait }, "rate limited; retrying");
          await this.sleep(wait);
          continue;
        }
        await store.failNotification(job.key, `${kind}: ${message}`, this.claim);
        this.noteOutcome(job, message);
        if (kind === "gone") {
          await store.retireConversation(job.platform, job.conversationId, message);
          const dropped = await store.removeConversationSubscriptions(job.platform, job.conversationId);
          logger.warn({ conversation: job.conversationId, dropped }, "conversation gone; subscriptions retired");
          return { state: "gone", error: message };
        }
        logger.warn({ err, key: job.key }, "proactive message failed");
        return { state: "failed", error: message };
      }
    }
  }

  /** Conversations whose latest send failed, oldest failure first. */
  deliveryProblems(): DeliveryProblem[] {
    return [...this.problems.values()].sort((a, b) => a.since.localeCompare(b.since));
  }

  private noteOutcome(job: SendJob, error?: string): void {
    const id = `${job.platform}:${job.conversationId}`;
    if (error === undefined) {
      this.problems.delete(id);
      return;
    }
    const earlier = this.problems.get(id);
    this.problems.set(id, {
      platform: job.platform,
      conversationId: job.conversationId,
      since: earlier?.since ?? this.options.now().toISOString(),
      failures: (earlier?.failures ?? 0) + 1,
      lastError: error,
    });
  }

  /** Resolves when every queued send has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.onIdle()));
  }

  /** Drops queued sends that have not started (shutdown). */
  clear(): void {
    for (const queue of this.queues.values()) queue.clear();
  }
}
