import type { Store } from "./store.js";

/**
 * Where a chat adapter records the requests it has taken, so a platform's
 * re-delivery of one of them runs nothing a second time. `claim` is true for
 * the first delivery of a key and false for every other one until the key
 * expires.
 */
export interface RequestKeys {
  claim(key: string, at: Date): Promise<boolean>;
}

/** Keys in the bot's store: shared by every replica on one PostgreSQL database, kept across restarts. */
export function storeRequestKeys(store: Pick<Store, "claimRequest">, keepMs: number): RequestKeys {
  return { claim: (key, at) => store.claimRequest(key, at, keepMs) };
}

/** Keys in this process's memory (no store configured): one replica, forgotten on restart. Bounded. */
export class MemoryRequestKeys implements RequestKeys {
  private readonly expiries = new Map<string, number>();

  constructor(
    private readonly keepMs: number,
    private readonly maxKeys = 50_000,
  ) {}

  async claim(key: string, at: Date): Promise<boolean> {
    const now = at.getTime();
    const expires = this.expiries.get(key);
    if (expires !== undefined && expires > now) return false;
    this.expiries.delete(key);
    if (this.expiries.size >= this.maxKeys) this.forgetExpired(now);
    // Still full of live keys: the oldest goes, as a bounded memory must forget something.
    if (this.expiries.size >= this.maxKeys) {
      const oldest = this.expiries.keys().next().value;
      if (oldest !== undefined) this.expiries.delete(oldest);
    }
    this.expiries.set(key, now + this.keepMs);
    return true;
  }

  private forgetExpired(now: number): void {
    for (const [key, expires] of this.expiries) if (expires <= now) this.expiries.delete(key);
  }
}
