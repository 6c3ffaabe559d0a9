import { describe, expect, it } from "vitest";
import { ReplayGuard, signatureHeaders, signRequest, verifyRequest } from "../../src/wire/requestSigning.js";

const secret = "s3cret-for-tests-only";
const req = { method: "GET", path: "/v1/status", body: "" };
const now = new Date("2026-11-25T10:00:00Z");

describe("request signing", () => {
  it("accepts a correctly signed request once and rejects its replay", () => {
    const guard = new ReplayGuard();
    const headers = signRequest(secret, req, now);
    expect(verifyRequest([secret], req, headers, guard, now).ok).toBe(true);
    expect(verifyRequest([secret], req, headers, guard, now)).toEqual({ ok: false, reason: "replayed" });
  });

  it("rejects missing, stale, forged and tampered requests", () => {
    const guard = new ReplayGuard();
    expect(verifyRequest([secret], req, {}, guard, now)).toEqual({ ok: false, reason: "missing" });
    const old = signRequest(secret, req, new Date(now.getTime() - 301_000));
    expect(verifyRequest([secret], req, old, guard, now)).toEqual({ ok: false, reason: "stale" });
    const wrongKey = signRequest("other", req, now);
    expect(verifyRequest([secret], req, wrongKey, guard, now)).toEqual({ ok: false, reason: "forged" });
    const headers = signRequest(secret, req, now);
    expect(verifyRequest([secret], { ...req, path: "/v1/diagnostics" }, headers, guard, now).ok).toBe(false);
    expect(verifyRequest([secret], { ...req, body: "{}" }, headers, guard, now).ok).toBe(false);
    expect(verifyRequest([secret], { ...req, method: "POST" }, headers, guard, now).ok).toBe(false);
  });

  it("does not burn a nonce on a forged request", () => {
    const guard = new ReplayGuard();
    const good = signRequest(secret, req, now);
    const forged = { ...good, [signatureHeaders.signature]: "v1=00" };
    expect(verifyRequest([secret], req, forged, guard, now).ok).toBe(false);
    expect(verifyRequest([secret], req, good, guard, now).ok).toBe(true);
  });

  it("accepts the previous secret during a rotation", () => {
    const headers = signRequest("old-secret", req, now);
    expect(verifyRequest(["new-secret", "old-secret"], req, headers, new ReplayGuard(), now).ok).toBe(true);
  });

  it("keeps the replay guard bounded", () => {
    const guard = new ReplayGuard(10);
    for (let i = 0; i < 100; i++) expect(guard.remember(`nonce-${i}`, 1000)).toBe(true);
    expect(guard.remember("nonce-99", 1000)).toBe(false);
  });
});
