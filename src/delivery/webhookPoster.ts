import { formatDuration } from "../foundation/duration.js";
import { redactSecrets } from "../foundation/redaction.js";
import { DeliveryError } from "./delivery.js";

/** How patient one webhook post is. */
export interface WebhookPostPolicy {
  /** Total time for all tries, waits included; then the post is given up and reported. Default 60 s. */
  budgetMs?: number;
  /** One try's deadline. Default 10 s. */
  attemptTimeoutMs?: number;
  /** Tries at most. Default 6. */
  maxAttempts?: number;
  /** Waits between tries; tests pass a fake. */
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

/** What the service said to a post that went through. */
export interface WebhookAnswer {
  status: number;
  attempts: number;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const maxBackoffMs = 30_000;

/** `Retry-After` in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs);
}

/** The first line of a refusal body, redacted and short: Slack answers `no_service`, Workflows a JSON error. */
function reasonOf(body: string): string {
  const line = body.trim().split(/\r?\n/)[0] ?? "";
  const short = line.length > 160 ? `${line.slice(0, 159)}…` : line;
  return redactSecrets(short).text;
}

/** A network failure in words, without the URL (undici puts the cause's code on `cause`). */
function networkReason(err: unknown): string {
  if (err instanceof Error && err.name === "TimeoutError") return "no answer in time";
  const cause = err instanceof Error ? (err.cause as { code?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === "string") return `network error ${cause.code}`;
  return "network error";
}

/**
 * POSTs one JSON payload to a webhook: 2xx is done; 429, 408, 5xx and network failures are tried again
 * (honouring `Retry-After`, else backing off 1 s, 2 s, 4 s … up to 30 s) within a bounded budget; any other
 * status is a refusal at once. Failures are `DeliveryError("failed")` whose message never holds the URL.
 */
export async function postWebhook(
  url: string,
  payload: unknown,
  service: string,
  policy: WebhookPostPolicy = {},
): Promise<WebhookAnswer> {
  const budget = policy.budgetMs ?? 60_000;
  const maxAttempts = policy.maxAttempts ?? 6;
  const sleep = policy.sleep ?? realSleep;
  const now = policy.now ?? Date.now;
  const started = now();
  const body = JSON.stringify(payload);
  for (let attempt = 1; ; attempt++) {
    let reason: string;
    let wait: number | undefined;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json; charset=utf-8" },
        body,
        redirect: "error",
        signal: AbortSignal.timeout(policy.attemptTimeoutMs ?? 10_000),
      });
      const text = await res.text().catch(() => "");
      if (res.ok) return { status: res.status, attempts: attempt };
      reason = `${res.status}${text ? ` ${reasonOf(text)}` : ""}`;
      if (res.status !== 429 && res.status !== 408 && res.status < 500) {
        throw new DeliveryError("failed", `${service} refused the message: ${reason}`);
      }
      wait = retryAfterMs(res.headers.get("retry-after"), now());
    } catch (err) {
      if (err instanceof DeliveryError) throw err;
      reason = networkReason(err);
    }
    const pause = wait ?? Math.min(maxBackoffMs, 1000 * 2 ** (attempt - 1));
    const elapsed = now() - started;
    if (attempt >= maxAttempts || elapsed + pause > budget) {
      const tries = attempt === 1 ? "1 try" : `${attempt} tries`;
      throw new DeliveryError(
        "failed",
        `${service}: gave up after ${tries} in ${formatDuration(elapsed)} (last: ${reason})`,
      );
    }
    await sleep(pause);
  }
}
