import { describe, expect, it } from "vitest";
import { formatElapsed } from "../../src/fleet/fleetFigures.js";

describe("the scanner's elapsed time as people say it (status: Time from start)", () => {
  it.each([
    ["00:15:48", "15m"],
    ["02:00:00.1234567", "2h"],
    ["1.02:03:04", "26h 3m"],
    [" 00:00:05 ", "5s"],
  ])("%s → %s", (text, said) => {
    expect(formatElapsed(text)).toBe(said);
  });

  it("leaves a value it cannot read as the node sent it", () => {
    expect(formatElapsed("unknown")).toBe("unknown");
    expect(formatElapsed("15:48")).toBe("15:48");
  });
});
