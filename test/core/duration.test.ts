import { describe, expect, it } from "vitest";
import { durationSchema, formatDuration, parseDuration } from "../../src/foundation/duration.js";

describe("durations", () => {
  it("parses the forms people write", () => {
    expect(parseDuration("90s")).toBe(90_000);
    expect(parseDuration("30m")).toBe(1_800_000);
    expect(parseDuration("1h30m")).toBe(5_400_000);
    expect(parseDuration("2D")).toBe(172_800_000);
    expect(parseDuration("500ms")).toBe(500);
  });
  it("rejects what is not a duration", () => {
    for (const bad of ["", "30", "m", "-5m", "1h-", "1 h", "abc", "0s"]) expect(parseDuration(bad)).toBeUndefined();
  });
  it("formats compactly", () => {
    expect(formatDuration(45_000)).toBe("45s");
    expect(formatDuration(12 * 60_000)).toBe("12m");
    expect(formatDuration(185 * 60_000)).toBe("3h 5m");
    expect(formatDuration(52 * 3_600_000)).toBe("2d 4h");
    expect(formatDuration(-1)).toBe("unknown");
  });
  it("validates config values with a clear message", () => {
    expect(durationSchema.parse("1m")).toBe(60_000);
    const bad = durationSchema.safeParse("soon");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toContain('"soon" is not a duration');
  });
});
