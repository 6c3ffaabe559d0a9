import { setTimeout as sleepFor } from "node:timers/promises";

/**
 * Waiting out another process's lock on the SQLite file without holding the
 * event loop. better-sqlite3 is synchronous, so its own busy timeout waits
 * inside the call and the whole bot waits with it. The store therefore gives
 * the driver only a short busy timeout (one try holds the loop that long at
 * most) and retries the whole operation here after an asynchronous sleep,
 * doubling the sleep up to a cap, until the operation's budget is spent.
 *
 * Writes keep the order of their calls: once one write waits, every later
 * write waits behind it, so a `watch off` typed after a `watch on` can never
 * commit first. Reads do not queue behind a waiting write: in WAL mode a
 * writer does not block them, and `status` should answer while a write waits.
 */

/** How long and how often an operation retries. */
export interface BusyRetrySettings {
  /** Time one operation may spend waiting, counted from its call (time in the write queue included). */
  budgetMs: number;
  /** The first sleep; each later one doubles, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
}

/** 5 s in all, sleeps 10, 20, 40 … 250 ms: about twenty tries, each holding the event loop 20 ms at most. */
export const defaultBusyRetrySettings: BusyRetrySettings = {
  budgetMs: 5_000,
  firstDelayMs: 10,
  maxDelayMs: 250,
  sleep: (ms) => sleepFor(ms),
  now: () => performance.now(),
};

/**
 * True for a driver error that another connection's lock caused and that a
 * later try can get past: SQLITE_BUSY and its extended codes (BUSY_SNAPSHOT,
 * BUSY_RECOVERY, BUSY_TIMEOUT). SQLITE_LOCKED is not one: without shared
 * cache it comes from this connection's own open statements, which no
 * amount of waiting releases, so it fails at once.
 */
export function isBusyError(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_"));
}

type Attempt<T> = { done: true; value: T } | { done: false; error: unknown };

/** Runs store operations, retrying them while the database is busy (see the module comment). */
export class BusyRetry {
  private readonly settings: BusyRetrySettings;
  /** The last write in the queue; later writes start after it settles. */
  private writeTail: Promise<unknown> = Promise.resolve();
  /** Writes queued or waiting; while any are, a new write cannot take the synchronous path. */
  private writesWaiting = 0;
  private readonly waiting = new Set<Promise<unknown>>();

  constructor(settings: Partial<BusyRetrySettings> = {}) {
    this.settings = { ...defaultBusyRetrySettings, ...settings };
  }

  /** Runs a write now when no other write waits (synchronously, as the driver does), else after those that do. */
  write<T>(work: () => T): Promise<T> {
    const deadline = this.settings.now() + this.settings.budgetMs;
    if (this.writesWaiting === 0) {
      const first = attempt(work);
      if (first.done) return Promise.resolve(first.value);
      if (!isBusyError(first.error)) return Promise.reject(first.error);
      return this.queueWrite(() => this.retry(work, deadline, first.error));
    }
    return this.queueWrite(() => this.retry(work, deadline, undefined));
  }

  /** Runs a read now, and again after a sleep while the database is busy; it never waits for queued writes. */
  read<T>(work: () => T): Promise<T> {
    const deadline = this.settings.now() + this.settings.budgetMs;
    const first = attempt(work);
    if (first.done) return Promise.resolve(first.value);
    if (!isBusyError(first.error)) return Promise.reject(first.error);
    return this.track(this.retry(work, deadline, first.error));
  }

  /** Resolves once no operation is waiting (each gives up within its budget), e.g. before the database closes. */
  async settled(): Promise<void> {
    while (this.waiting.size > 0) await Promise.allSettled([...this.waiting]);
  }

  /** True when no operation is waiting out a lock. */
  get idle(): boolean {
    return this.waiting.size === 0;
  }

  private queueWrite<T>(job: () => Promise<T>): Promise<T> {
    this.writesWaiting++;
    const result = this.writeTail.then(job);
    this.writeTail = result.then(
      () => this.writesWaiting--,
      () => this.writesWaiting--,
    );
    return this.track(result);
  }

  private track<T>(operation: Promise<T>): Promise<T> {
    this.waiting.add(operation);
    const forget = () => this.waiting.delete(operation);
    operation.then(forget, forget);
    return operation;
  }

  /**
   * Tries `work` until it succeeds, fails for another reason or the deadline
   * passes. `busy` is the error of a try already made (the next one sleeps
   * first); without it the first try is immediate, even past the deadline, so
   * a write that waited in the queue still gets one chance.
   */
  private async retry<T>(work: () => T, deadline: number, busy: unknown): Promise<T> {
    const { firstDelayMs, maxDelayMs, sleep, now } = this.settings;
    let failures = busy === undefined ? 0 : 1;
    let lastError = busy;
    for (;;) {
      if (failures > 0) {
        const left = deadline - now();
        if (left <= 0) throw lastError;
        await sleep(Math.min(firstDelayMs * 2 ** (failures - 1), maxDelayMs, left));
      }
      const outcome = attempt(work);
      if (outcome.done) return outcome.value;
      if (!isBusyError(outcome.error)) throw outcome.error;
      lastError = outcome.error;
      failures++;
    }
  }
}

function attempt<T>(work: () => T): Attempt<T> {
  try {
    return { done: true, value: work() };
  } catch (error) {
    return { done: false, error };
  }
}
