import { z } from "zod";
import { ConnectorTimeoutError } from "./connectorClient.js";

/**
 * What a failed Bot Connector call tells us: its HTTP status and, for
 * throttling, how long Teams asked us to wait. botbuilder surfaces these as
 * Azure `RestError`s; read them structurally so no SDK type leaks out.
 */
export interface SendFailure {
  status?: number;
  retryAfterMs?: number;
  /** Set when the connector did not answer within the call's deadline (no status: retryable). */
  timedOutAfterMs?: number;
}

const restErrorShape = z
  .object({
    statusCode: z.number().int().optional(),
    response: z
      .object({
        status: z.number().int().optional(),
        headers: z.unknown().optional(),
      })
      .loose()
      .optional(),
  })
  .loose();

/** Longest wait we honour from a Retry-After header; longer asks become a `rate_limited` failure. */
export const maxRetryAfterMs = 60_000;

function headerValue(headers: unknown, name: string): string | undefined {
  if (!headers || typeof headers !== "object") return undefined;
  const getter = (headers as { get?: unknown }).get;
  if (typeof getter === "function") {
    const value: unknown = getter.call(headers, name);
    return typeof value === "string" ? value : undefined;
  }
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

/** Worth another try: throttled (429), a server error (5xx), or no answer at all (network error, timeout). */
export function isRetryable(status: number | undefined): boolean {
  return status === undefined || status === 429 || status >= 500;
}

/** Parses Retry-After: seconds, or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Reads status and Retry-After from whatever a connector call threw. */
export function sendFailure(err: unknown): SendFailure {
  if (err instanceof ConnectorTimeoutError) return { timedOutAfterMs: err.timeoutMs };
  const parsed = restErrorShape.safeParse(err);
  if (!parsed.success) return {};
  const status = parsed.data.statusCode ?? parsed.data.response?.status;
  const retryAfterMs = parseRetryAfter(headerValue(parsed.data.response?.headers, "retry-after"));
  return {
    ...(status === undefined ? {} : { status }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}
