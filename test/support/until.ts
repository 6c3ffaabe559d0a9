import { setTimeout as sleep } from "node:timers/promises";

/**
 * Generous on purpose: the bound only turns a hang into a clear failure. A
 * test never relies on it being short, so a loaded machine (another process
 * holding a core) slows the test down without failing it.
 */
export const generousDeadlineMs = 60_000;

/**
 * The bound for a test that runs real servers or processes end to end: a few
 * generous waits' worth, so only a hang fails it, never a slow machine.
 */
export const endToEndTestTimeoutMs = 4 * generousDeadlineMs;

/**
 * Waits until `check` holds, looking again every few milliseconds; throws
 * naming `what` after `withinMs`. For waiting on something observable (a post,
 * a poll served, a row written) instead of sleeping a guessed time.
 */
export async function until(check: () => boolean, what: string, withinMs = generousDeadlineMs): Promise<void> {
  const deadline = performance.now() + withinMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${withinMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Like `until`, but answers whether `check` came to hold instead of throwing. */
export async function eventually(check: () => boolean, withinMs = generousDeadlineMs): Promise<boolean> {
  try {
    await until(check, "a condition", withinMs);
    return true;
  } catch {
    return false;
  }
}
