import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/**
 * Signs and verifies bot→agent requests, in the manner of Slack's request
 * signing: HMAC-SHA256 over a version, a timestamp, a nonce, the method, the
 * path (with query) and the body's SHA-256, keyed by the agent's shared secret.
 */
export const signatureHeaders = {
  timestamp: "x-scanner-timestamp",
  nonce: "x-scanner-nonce",
  signature: "x-scanner-signature",
} as const;

/** How far a request's timestamp may be from the agent's clock. */
export const signatureWindowSeconds = 300;

export interface SignableRequest {
  method: string;
  /** Path and query exactly as sent, e.g. `/v1/errors?count=20`. */
  path: string;
  body: string | Buffer;
}

function baseString(req: SignableRequest, timestamp: string, nonce: string): string {
  const bodyHash = createHash("sha256").update(req.body).digest("hex");
  return `v1:${timestamp}:${nonce}:${req.method.toUpperCase()}:${req.path}:${bodyHash}`;
}

function hmac(secret: string, text: string): string {
  return `v1=${createHmac("sha256", secret).update(text).digest("hex")}`;
}

/** Headers to send with a request. */
export function signRequest(
  secret: string,
  req: SignableRequest,
  now: Date = new Date(),
  nonce: string = randomBytes(16).toString("hex"),
): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    [signatureHeaders.timestamp]: timestamp,
    [signatureHeaders.nonce]: nonce,
    [signatureHeaders.signature]: hmac(secret, baseString(req, timestamp, nonce)),
  };
}

export type VerifyOutcome =
  | { ok: true; nonce: string; timestamp: number }
  | { ok: false; reason: "missing" | "stale" | "forged" | "replayed" };

/** Remembers nonces for the signature window so a captured request cannot be sent again. */
export class ReplayGuard {
  private readonly seen = new Map<string, number>();
  constructor(private readonly maxEntries = 100_000) {}

  /** Returns false when the nonce was already used inside the window. */
  remember(nonce: string, nowSeconds: number): boolean {
    if (this.seen.size > 0 && (this.seen.size >= this.maxEntries || this.seen.size % 1024 === 0)) {
      for (const [key, expires] of this.seen) if (expires < nowSeconds) this.seen.delete(key);
    }
    if (this.seen.has(nonce)) return false;
    if (this.seen.size >= this.maxEntries) {
      // Full of live nonces: drop the oldest rather than grow without bound.
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    this.seen.set(nonce, nowSeconds + 2 * signatureWindowSeconds);
    return true;
  }
}

/**
 * Checks a request's signature against one or more secrets (several during a
 * rotation). Constant-time comparison; the nonce is only remembered once the
 * signature is valid, so forged requests cannot poison the replay guard.
 */
export function verifyRequest(
  secrets: readonly string[],
  req: SignableRequest,
  headers: Record<string, string | string[] | undefined>,
  guard: ReplayGuard,
  now: Date = new Date(),
): VerifyOutcome {
  const header = (name: string) => {
    const value = headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const timestamp = header(signatureHeaders.timestamp);
  const nonce = header(signatureHeaders.nonce);
  const signature = header(signatureHeaders.signature);
  if (!timestamp || !nonce || !signature) return { ok: false, reason: "missing" };
  if (!/^\d{1,12}$/.test(timestamp) || !/^[A-Za-z0-9_-]{16,128}$/.test(nonce)) return { ok: false, reason: "forged" };
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const ts = Number(timestamp);
  if (Math.abs(nowSeconds - ts) > signatureWindowSeconds) return { ok: false, reason: "stale" };
  const given = Buffer.from(signature);
  const base = baseString(req, timestamp, nonce);
  const matches = secrets.some((secret) => {
    const expected = Buffer.from(hmac(secret, base));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!matches) return { ok: false, reason: "forged" };
  if (!guard.remember(nonce, nowSeconds)) return { ok: false, reason: "replayed" };
  return { ok: true, nonce, timestamp: ts };
}
