import { z } from "zod";
import type { Platform } from "../delivery/delivery.js";
import { platformSchema } from "./platformSchema.js";

/**
 * The live scan card of one cluster in one conversation: the message the
 * watcher keeps editing while the cluster scans, and what it showed last.
 * Kept in the store so a restarted bot, or the replica that takes the
 * cluster's lease over, edits the same message instead of posting another.
 * One row per (cluster, platform, conversation): a new cycle's card replaces
 * the previous cycle's row.
 */
export const scanCardSchema = z.object({
  cluster: z.string().min(1),
  platform: platformSchema,
  conversationId: z.string().min(1),
  /** The cycle the card is about (the scanner's StartTime, or the bot's estimate of it). */
  cycleKey: z.string().min(1),
  messageId: z.string().min(1),
  threadId: z.string().nullable(),
  /** `live`: edited as the scan moves; `finished`: now the cycle's summary; `lost`: deleted twice, left alone. */
  state: z.enum(["live", "finished", "lost"]),
  /** What the card shows now, minus its "as of" time: an edit that would show the same is not made. */
  shown: z.string(),
  /** When the card was last posted or edited. */
  editedAt: z.string(),
  /** The earliest next edit: a minute after the last one, later when the platform asked us to slow down. */
  nextEditAt: z.string(),
  /** New cards posted this cycle because someone deleted the card (at most one). */
  reposts: z.number().int().nonnegative(),
  createdAt: z.string(),
});
export type ScanCard = z.infer<typeof scanCardSchema>;

/** Where the live cards' message ids are kept: the store implements it. */
export interface ScanCardStore {
  /** Writes the card of (cluster, platform, conversation), replacing the one there. */
  saveScanCard(card: ScanCard): Promise<void>;
  /** Cards of one cluster, or of every cluster; ordered by cluster, platform, conversation. */
  listScanCards(cluster?: string): Promise<ScanCard[]>;
  /** Forgets a card (the conversation stopped watching); true when there was one. */
  removeScanCard(cluster: string, platform: Platform, conversationId: string): Promise<boolean>;
}

/** The row's columns in order, shared by both backends' INSERT. */
export const scanCardColumns =
  "cluster, platform, conversation_id, cycle_key, message_id, thread_id, state, shown, edited_at, next_edit_at, reposts, created_at";

/** The values for `scanCardColumns`, in the same order. */
export function scanCardValues(card: ScanCard): unknown[] {
  return [
    card.cluster,
    card.platform,
    card.conversationId,
    card.cycleKey,
    card.messageId,
    card.threadId,
    card.state,
    card.shown,
    card.editedAt,
    card.nextEditAt,
    card.reposts,
    card.createdAt,
  ];
}

/** The update part of the upsert: every column but the key. */
export const scanCardUpsert = `ON CONFLICT (cluster, platform, conversation_id) DO UPDATE SET
  cycle_key = excluded.cycle_key, message_id = excluded.message_id, thread_id = excluded.thread_id,
  state = excluded.state, shown = excluded.shown, edited_at = excluded.edited_at,
  next_edit_at = excluded.next_edit_at, reposts = excluded.reposts, created_at = excluded.created_at`;

/** One `scan_cards` row (SQLite or PostgreSQL). */
export function scanCardFromRow(row: Record<string, unknown>): ScanCard {
  return scanCardSchema.parse({
    cluster: row.cluster,
    platform: row.platform,
    conversationId: row.conversation_id,
    cycleKey: row.cycle_key,
    messageId: row.message_id,
    threadId: row.thread_id ?? null,
    state: row.state,
    shown: row.shown,
    editedAt: row.edited_at,
    nextEditAt: row.next_edit_at,
    reposts: Number(row.reposts),
    createdAt: row.created_at,
  });
}
