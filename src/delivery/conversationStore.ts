import type { Platform } from "./delivery.js";

/** A conversation the bot may post to on its own: where the app is installed or a `watch` is set. */
export interface ConversationRecord {
  platform: Platform;
  conversationId: string;
  /** Platform data for proactive sends (Teams ConversationReference), JSON-serialisable. */
  reference: unknown;
  /** Human-readable name, when known (channel or team name). */
  label?: string;
  updatedAt: string;
}

/** Remembers conversations across restarts. The SQLite store implements it; tests use the in-memory one. */
export interface ConversationStore {
  upsertConversation(record: ConversationRecord): Promise<void>;
  getConversation(platform: Platform, conversationId: string): Promise<ConversationRecord | undefined>;
  listConversations(platform?: Platform): Promise<ConversationRecord[]>;
  /** Forgets a conversation the bot can no longer reach (uninstalled, removed, 403/404). */
  retireConversation(platform: Platform, conversationId: string, reason: string): Promise<void>;
}

/** Keeps conversations in memory only (tests, one-shot runs). */
export class InMemoryConversationStore implements ConversationStore {
  private readonly records = new Map<string, ConversationRecord>();
  readonly retired: { platform: Platform; conversationId: string; reason: string }[] = [];

  private key(platform: Platform, conversationId: string): string {
    return `${platform}\u0000${conversationId}`;
  }
  async upsertConversation(record: ConversationRecord): Promise<void> {
    this.records.set(this.key(record.platform, record.conversationId), structuredClone(record));
  }
  async getConversation(platform: Platform, conversationId: string): Promise<ConversationRecord | undefined> {
    const found = this.records.get(this.key(platform, conversationId));
    return found ? structuredClone(found) : undefined;
  }
  async listConversations(platform?: Platform): Promise<ConversationRecord[]> {
    return [...this.records.values()]
      .filter((r) => !platform || r.platform === platform)
      .map((r) => structuredClone(r));
  }
  async retireConversation(platform: Platform, conversationId: string, reason: string): Promise<void> {
    this.records.delete(this.key(platform, conversationId));
    this.retired.push({ platform, conversationId, reason });
  }
}
