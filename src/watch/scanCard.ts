import type { ScanCard } from "../store/scanCardRecord.js";

/**
 * When the live scan card is posted, edited and turned into the summary: pure
 * decisions from what the cluster does, what the card shows now and when it
 * may next be edited. The executor (scanCards.ts) carries them out.
 *
 * - A scanning cluster without a card for this cycle gets one (a new cycle's
 *   card replaces the last cycle's).
 * - A live card is edited when what it would show differs from what it shows,
 *   and not before its next allowed edit (a minute after the last, or later).
 * - When the cluster stops scanning, the live card becomes the summary (one
 *   more edit, under the same limit).
 */

/** Least time between two edits of one card. */
export const cardEditIntervalMs = 60_000;

export type CardStep =
  | { step: "post" }
  | { step: "edit" }
  | { step: "finish" }
  | { step: "wait"; why: "unchanged" | "too soon" | "not scanning" | "done" };

/** What the decision looks at. */
export interface CardSituation {
  scanning: boolean;
  /** The cycle the cluster is in now (see `cycleKeyOf`). */
  cycleKey: string;
  /** Fingerprint of the live card as it would read now. */
  shown: string;
  /** The stored card of this cluster in this conversation, if any. */
  card: ScanCard | undefined;
  now: Date;
}

/** The next thing to do with one conversation's card. */
export function nextCardStep({ scanning, cycleKey, shown, card, now }: CardSituation): CardStep {
  const due = card ? now.getTime() >= Date.parse(card.nextEditAt) : true;
  if (scanning) {
    if (!card || card.cycleKey !== cycleKey) return { step: "post" };
    if (card.state !== "live") return { step: "wait", why: "done" };
    if (card.shown === shown) return { step: "wait", why: "unchanged" };
    return due ? { step: "edit" } : { step: "wait", why: "too soon" };
  }
  if (card?.state !== "live") return { step: "wait", why: "not scanning" };
  return due ? { step: "finish" } : { step: "wait", why: "too soon" };
}

/**
 * Names the cycle a card is about: the scanner's StartTime (every replica and
 * a restarted bot read the same one), else the live card's own cycle (a reply
 * without StartTime is not a new cycle), else the cycle's estimated start,
 * else now (the first sight of a scan with nothing to name it by).
 */
export function cycleKeyOf(
  view: { startKey: string | null; startedAt: number | undefined },
  card: ScanCard | undefined,
  now: Date,
): string {
  if (view.startKey) return view.startKey;
  if (card?.state === "live") return card.cycleKey;
  return new Date(view.startedAt ?? now.getTime()).toISOString();
}

/**
 * The edit interval that keeps every live card of a platform within its edit
 * budget: one a minute while the cards are few, spread out evenly when there
 * are more cards than the platform takes edits a minute (Slack's chat.update
 * allows about 50 a minute per workspace), so no card starves.
 */
export function editIntervalMs(liveCards: number, editsPerMinute: number): number {
  if (editsPerMinute <= 0) return cardEditIntervalMs;
  return Math.max(cardEditIntervalMs, Math.ceil((liveCards / editsPerMinute) * cardEditIntervalMs));
}

/** When the card may be edited next after an edit at `now`: the interval, or longer when the platform asked. */
export function nextEditAfter(now: Date, intervalMs: number, retryAfterMs = 0): string {
  return new Date(now.getTime() + Math.max(intervalMs, retryAfterMs)).toISOString();
}
