import { type ConversationAddress, DeliveryError, type Platform, type PostedMessage } from "../delivery/delivery.js";
import { isNotifyOnly } from "../delivery/notifyOnly.js";
import type { ClusterProgressView } from "../fleet/scanProgress.js";
import type { Logger } from "../foundation/logger.js";
import type { ScanCard } from "../store/scanCardRecord.js";
import { type Store, subscriptionCovers } from "../store/store.js";
import type { NotificationSender } from "./notificationSender.js";
import { cycleKeyOf, editIntervalMs, nextCardStep, nextEditAfter } from "./scanCard.js";
import { type CardVersion, liveCardVersion, summaryCardVersion, supersededCardVersion } from "./scanCardMessage.js";

/** What the cards read progress from: the fleet client's ScanProgress fits. */
export interface ProgressSource {
  cluster(cluster: string, nodes?: readonly string[]): ClusterProgressView;
  loadBaseline(cluster: string): Promise<void>;
}

export interface ScanCardsOptions {
  store: Store;
  sender: NotificationSender;
  progress: ProgressSource;
  logger: Logger;
  now: () => Date;
  /**
   * Card edits a minute one platform takes across all its cards (Slack's chat.update is a Tier 3 method,
   * about 50 a minute per workspace); with more live cards than that, each is edited less often. Default 40.
   */
  editsPerMinute?: number;
}

/** Card edits a minute per platform unless configured (below Slack's Tier 3 allowance of about 50). */
export const defaultCardEditsPerMinute = 40;

/** One conversation that should show the cluster's card. */
interface CardTarget {
  platform: Platform;
  conversationId: string;
}

/** What one refresh does for one cluster, for tests and the benchmark. */
export interface CardCounts {
  posted: number;
  edited: number;
  finished: number;
}

/** Where a stored card lives, as a Delivery addresses it (the thread of alerts under it, an edit of it). */
export function cardMessage(card: ScanCard): PostedMessage {
  return {
    platform: card.platform,
    conversationId: card.conversationId,
    messageId: card.messageId,
    ...(card.threadId ? { threadId: card.threadId } : {}),
  };
}

const cardKey = (platform: Platform, conversationId: string) => `${platform}\n${conversationId}`;

/**
 * Carries out the live scan card's decisions (scanCard.ts) for one cluster at
 * a time: posts, edits and the final summary through each conversation's
 * paced queue, and every outcome into the store, so a restart or the next
 * lease holder continues the same card. A deleted card is posted again once
 * per cycle; a rate-limited edit is skipped until the platform's wait is over.
 * Webhook channels cannot edit, so they get no card.
 */
export class ScanCards {
  private readonly editsPerMinute: number;
  /** Posts and edits made since this process started, for the benchmark. */
  readonly counts: CardCounts = { posted: 0, edited: 0, finished: 0 };
  /** When this process edited a card, per platform, over the last minute: the budget is a rolling window. */
  private readonly recentEdits = new Map<Platform, number[]>();

  constructor(private readonly options: ScanCardsOptions) {
    this.editsPerMinute = options.editsPerMinute ?? defaultCardEditsPerMinute;
  }

  /** Brings every card of `cluster` up to date with the progress of its `nodes`. Never throws. */
  async refresh(cluster: string, nodes: readonly string[]): Promise<void> {
    try {
      await this.refreshCluster(cluster, nodes);
    } catch (err) {
      this.options.logger.warn({ err, cluster }, "could not bring the live scan cards up to date");
    }
  }

  private async refreshCluster(cluster: string, nodes: readonly string[]): Promise<void> {
    const { store, progress } = this.options;
    const now = this.options.now();
    await progress.loadBaseline(cluster);
    const view = progress.cluster(cluster, nodes);
    const targets = await this.targets(cluster);
    const all = await store.listScanCards();
    const cards = new Map(
      all.filter((c) => c.cluster === cluster).map((c) => [cardKey(c.platform, c.conversationId), c]),
    );
    // A conversation that stopped watching (or opted out) keeps its last version; its row goes.
    for (const [key, card] of cards) {
      if (!targets.some((t) => cardKey(t.platform, t.conversationId) === key)) {
        await store.removeScanCard(cluster, card.platform, card.conversationId);
      }
    }
    if (targets.length === 0) return;
    const live = view.scanning ? liveCardVersion(view, now) : undefined;
    const liveOn = (platform: Platform) => all.filter((c) => c.state === "live" && c.platform === platform).length;
    await Promise.all(
      targets.map(async (target) => {
        const card = cards.get(cardKey(target.platform, target.conversationId));
        const cycleKey = cycleKeyOf(view, card, now);
        const step = nextCardStep({ scanning: view.scanning, cycleKey, shown: live?.shown ?? "", card, now });
        const interval = editIntervalMs(
          liveOn(target.platform) + (card?.state === "live" ? 0 : 1),
          this.editsPerMinute,
        );
        if (step.step === "post" && card?.state === "live") {
          // The old card's last word; a deleted one is not posted again just to say it ended.
          await this.edit(card, supersededCardVersion(cluster, now), interval, "finished", false);
        }
        if (step.step === "post" && live) await this.post(target, cluster, cycleKey, live, interval, 0);
        // An edit over the platform's budget waits for a later poll; the card stays due, so it goes first then.
        const editing = (step.step === "edit" || step.step === "finish") && this.takeEditSlot(target.platform, now);
        if (step.step === "edit" && editing && card && live) await this.edit(card, live, interval, "live");
        if (step.step === "finish" && editing && card) {
          const cycle = view.previous?.startKey === card.cycleKey ? view.previous : undefined;
          const summary = summaryCardVersion({ view, cycle, cardCreatedAt: card.createdAt, now });
          await this.edit(card, summary, interval, "finished");
        }
      }),
    );
  }

  /**
   * Takes one of the platform's edits of the last minute, if any is left. The interval spreads cards out on
   * average; this keeps a minute where many cards fall due together (they all started at once) within it too.
   */
  private takeEditSlot(platform: Platform, now: Date): boolean {
    const since = now.getTime() - 60_000;
    const recent = (this.recentEdits.get(platform) ?? []).filter((at) => at > since);
    this.recentEdits.set(platform, recent);
    if (this.editsPerMinute > 0 && recent.length >= this.editsPerMinute) return false;
    recent.push(now.getTime());
    return true;
  }

  /** Conversations that watch `cluster`, want the card and can edit a message (one card per conversation). */
  private async targets(cluster: string): Promise<CardTarget[]> {
    const subscriptions = await this.options.store.listSubscriptions();
    const seen = new Map<string, CardTarget>();
    for (const s of subscriptions) {
      if (!subscriptionCovers(s, cluster) || isNotifyOnly(s.platform)) continue;
      if (!this.options.sender.canDeliver(s.platform)) continue;
      const key = cardKey(s.platform, s.conversationId);
      // `watch on --no-card` on any of the conversation's subscriptions that cover the cluster opts it out.
      if (s.liveCard === false) seen.set(key, { platform: s.platform, conversationId: "" });
      else if (!seen.has(key)) seen.set(key, { platform: s.platform, conversationId: s.conversationId });
    }
    return [...seen.values()].filter((t) => t.conversationId !== "");
  }

  private async address(target: CardTarget): Promise<ConversationAddress> {
    const known = await this.options.store.getConversation(target.platform, target.conversationId);
    return { platform: target.platform, conversationId: target.conversationId, reference: known?.reference };
  }

  /** Posts a new card; on failure nothing is stored and the next refresh tries again. */
  private async post(
    target: CardTarget,
    cluster: string,
    cycleKey: string,
    version: CardVersion,
    interval: number,
    reposts: number,
    state: ScanCard["state"] = "live",
  ): Promise<void> {
    const { sender, store, logger } = this.options;
    const now = this.options.now();
    try {
      const to = await this.address(target);
      const posted = await sender.paced(target.platform, target.conversationId, (d) =>
        d.post(to, version.reply, { liveCard: true }),
      );
      this.counts.posted++;
      await store.saveScanCard({
        cluster,
        platform: target.platform,
        conversationId: posted.conversationId,
        cycleKey,
        messageId: posted.messageId,
        threadId: posted.threadId ?? null,
        state,
        shown: version.shown,
        editedAt: now.toISOString(),
        nextEditAt: nextEditAfter(now, interval),
        reposts,
        createdAt: now.toISOString(),
      });
    } catch (err) {
      logger.warn(
        { err: safeError(err), cluster, conversation: target.conversationId },
        "could not post the live scan card",
      );
    }
  }

  /** Edits the card into `version`; a deleted card is posted again once, a refused edit waits its turn. */
  private async edit(
    card: ScanCard,
    version: CardVersion,
    interval: number,
    state: "live" | "finished",
    repost = true,
  ): Promise<void> {
    const { sender, store, logger } = this.options;
    const now = this.options.now();
    try {
      await sender.paced(card.platform, card.conversationId, (d) => d.update(cardMessage(card), version.reply));
      if (state === "finished") this.counts.finished++;
      else this.counts.edited++;
      await store.saveScanCard({
        ...card,
        state,
        shown: version.shown,
        editedAt: now.toISOString(),
        nextEditAt: nextEditAfter(now, interval),
      });
      return;
    } catch (err) {
      const kind = err instanceof DeliveryError ? err.kind : "failed";
      const where = { err: safeError(err), cluster: card.cluster, conversation: card.conversationId };
      if (kind === "message_gone" && repost && card.reposts < 1) {
        logger.info(where, "the live scan card was deleted; posting a new one");
        const target = { platform: card.platform, conversationId: card.conversationId };
        await this.post(target, card.cluster, card.cycleKey, version, interval, card.reposts + 1, state);
        return;
      }
      if (kind === "message_gone" || kind === "gone") {
        logger.info(where, "the live scan card is gone again; no more edits this cycle");
        await store.saveScanCard({ ...card, state: "lost" });
        return;
      }
      // Rate limited: skip this edit and try when the platform's wait is over (never sooner than the interval).
      const wait = err instanceof DeliveryError ? err.retryAfterMs : undefined;
      if (kind !== "rate_limited") logger.warn(where, "could not edit the live scan card");
      await store.saveScanCard({ ...card, nextEditAt: nextEditAfter(now, interval, wait) });
    }
  }
}

/** What of a failed call may be logged: the SDKs' errors carry request headers (tokens) with them. */
function safeError(err: unknown): { kind?: string; message: string } {
  if (err instanceof DeliveryError) return { kind: err.kind, message: err.message };
  return { message: err instanceof Error ? err.message.slice(0, 300) : String(err) };
}
