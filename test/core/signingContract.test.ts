import { createHash, createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  ReplayGuard,
  signatureHeaders,
  signatureWindowSeconds,
  signRequest,
  verifyRequest,
} from "../../src/wire/requestSigning.js";

const secret = "agent-shared-secret-0123456789";
const request = { method: "POST", path: "/v1/actions/restart-service", body: '{"requestId":"r1"}' };
const t0 = new Date("2026-11-25T03:00:00.000Z");
const t0Seconds = t0.getTime() / 1000;
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

/** The signature written out by hand from the documented format, independent of the code under test. */
function handSigned(timestamp: string, nonce: string, req = request) {
  const bodyHash = createHash("sha256").update(req.body).digest("hex");
  const base = `v1:${timestamp}:${nonce}:${req.method.toUpperCase()}:${req.path}:${bodyHash}`;
  return {
    [signatureHeaders.timestamp]: timestamp,
    [signatureHeaders.nonce]: nonce,
    [signatureHeaders.signature]: `v1=${createHmac("sha256", secret).update(base).digest("hex")}`,
  };
}

describe("the signing format both sides must agree on", () => {
  it("signs v1:<timestamp>:<nonce>:<METHOD>:<path>:<sha256(body)> with HMAC-SHA256, as written in the contract", () => {
    const nonce = "0123456789abcdef0123456789abcdef";
    expect(signRequest(secret, request, t0, nonce)).toEqual(handSigned(String(t0Seconds), nonce));
    // The method is upper-cased before signing, so `post` and `POST` sign the same request.
    expect(signRequest(secret, { ...request, method: "post" }, t0, nonce)).toEqual(
      handSigned(String(t0Seconds), nonce),
    );
  });

  it("accepts a request signed by hand in that format", () => {
    const headers = handSigned(String(t0Seconds), "abcdefabcdefabcdef01");
    expect(verifyRequest([secret], request, headers, new ReplayGuard(), t0)).toMatchObject({ ok: true });
  });
});

describe("verifyRequest refuses", () => {
  const nonce = "abcdefabcdefabcdef01";
  it("a request missing any one of the three headers", () => {
    const full = handSigned(String(t0Seconds), nonce);
    for (const name of Object.values(signatureHeaders)) {
      const headers: Record<string, string | undefined> = { ...full, [name]: undefined };
      expect(verifyRequest([secret], request, headers, new ReplayGuard(), t0)).toEqual({
        ok: false,
        reason: "missing",
      });
    }
  });

  it("a malformed timestamp or nonce even when it is validly signed", () => {
    const ts = String(t0Seconds);
    for (const [timestamp, badNonce] of [
      [`${ts}x`, nonce],
      [`x${ts}`, nonce],
      [ts, `${nonce}!`],
      [ts, `!${nonce}`],
      [ts, "short"],
    ] as const) {
      const headers = handSigned(timestamp, badNonce);
      expect(verifyRequest([secret], request, headers, new ReplayGuard(), t0)).toEqual({ ok: false, reason: "forged" });
    }
  });

  it("a timestamp more than the window away, in the past or the future, and accepts one exactly at the edge", () => {
    const check = (offset: number) =>
      verifyRequest([secret], request, handSigned(String(t0Seconds + offset), nonce), new ReplayGuard(), t0);
    expect(check(signatureWindowSeconds)).toMatchObject({ ok: true });
    expect(check(-signatureWindowSeconds)).toMatchObject({ ok: true });
    expect(check(signatureWindowSeconds + 1)).toEqual({ ok: false, reason: "stale" });
    expect(check(-signatureWindowSeconds - 1)).toEqual({ ok: false, reason: "stale" });
  });
});

describe("ReplayGuard", () => {
  const nonceOf = (i: number) => `nonce-${String(i).padStart(12, "0")}`;

  it("remembers every nonce it was given, not only the newest, and refuses each one again", () => {
    const guard = new ReplayGuard(10_000);
    for (let i = 0; i < 3000; i++) expect(guard.remember(nonceOf(i), t0Seconds)).toBe(true);
    for (let i = 0; i < 3000; i += 7) expect(guard.remember(nonceOf(i), t0Seconds + 1)).toBe(false);
  });

  it("when full of live nonces, forgets only the oldest one to make room", () => {
    const guard = new ReplayGuard(3);
    for (const n of ["a", "b", "c"]) guard.remember(`${n}`.repeat(16), t0Seconds);
    expect(guard.remember("d".repeat(16), t0Seconds + 1)).toBe(true);
    expect(guard.remember("b".repeat(16), t0Seconds + 2)).toBe(false);
    expect(guard.remember("c".repeat(16), t0Seconds + 2)).toBe(false);
    expect(guard.remember("d".repeat(16), t0Seconds + 2)).toBe(false);
    expect(guard.remember("a".repeat(16), t0Seconds + 2)).toBe(true);
  });

  it("keeps a nonce for two windows, exactly, then lets its memory go", () => {
    const fill = () => {
      const guard = new ReplayGuard(4);
      for (const n of ["a", "b", "c", "d"]) guard.remember(n.repeat(16), t0Seconds);
      return guard;
    };
    // One window later a full guard still knows them all: only the oldest makes room.
    const early = fill();
    expect(early.remember("e".repeat(16), t0Seconds + signatureWindowSeconds)).toBe(true);
    expect(early.remember("b".repeat(16), t0Seconds + signatureWindowSeconds)).toBe(false);
    // Exactly two windows later they have not expired yet.
    const edge = fill();
    expect(edge.remember("e".repeat(16), t0Seconds + 2 * signatureWindowSeconds)).toBe(true);
    expect(edge.remember("c".repeat(16), t0Seconds + 2 * signatureWindowSeconds)).toBe(false);
    // A second later every one of them has, and the next insert clears them out.
    const late = fill();
    expect(late.remember("e".repeat(16), t0Seconds + 2 * signatureWindowSeconds + 1)).toBe(true);
    // Newest first: had only the oldest been dropped to make room, "d" would still be remembered.
    for (const n of ["d", "c", "b", "a"]) {
      expect(late.remember(n.repeat(16), t0Seconds + 2 * signatureWindowSeconds + 1)).toBe(true);
    }
  });

  it("clears expired nonces every 1,024 inserts even when far from full", () => {
    const guard = new ReplayGuard(100_000);
    for (let i = 0; i < 1024; i++) guard.remember(nonceOf(i), t0Seconds);
    const later = t0Seconds + 2 * signatureWindowSeconds + 1;
    expect(guard.remember(nonceOf(5000), later)).toBe(true);
    // The first batch expired and was dropped at that insert.
    expect(guard.remember(nonceOf(0), later)).toBe(true);
  });

  it("is consulted by verifyRequest only after the signature holds, so forgeries cannot poison it", () => {
    const guard = new ReplayGuard();
    const nonce = "abcdefabcdefabcdef02";
    const forged = { ...handSigned(String(t0Seconds), nonce), [signatureHeaders.signature]: `v1=${"0".repeat(64)}` };
    expect(verifyRequest([secret], request, forged, guard, t0)).toEqual({ ok: false, reason: "forged" });
    const real = handSigned(String(t0Seconds), nonce);
    expect(verifyRequest([secret], request, real, guard, at(1))).toMatchObject({ ok: true });
    expect(verifyRequest([secret], request, real, guard, at(2))).toEqual({ ok: false, reason: "replayed" });
  });
});
