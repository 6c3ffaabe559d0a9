import { describe, expect, it } from "vitest";
import { otherCauseSchema } from "../../src/knowledge/otherCauses.js";

const cause = (signature: object) => ({
  id: "socket-refused-test",
  title: "Connection refused",
  meaning: "Nothing accepted the connection on that port; this is not port exhaustion.",
  shadows: ["unable-to-connect-to-remote-server"],
  signatures: [{ phrase: "actively refused it", weight: 0.9, ...signature }],
  source: { title: "Windows Sockets error codes", url: "https://learn.microsoft.com/windows/win32/winsock" },
});

describe("an other cause's signatures", () => {
  it("are accepted without context words", () => {
    expect(otherCauseSchema.safeParse(cause({})).success).toBe(true);
  });

  // The look-alike search does not read onlyWith: a cause wording that needed it would match everywhere.
  it("refuse onlyWith, which the look-alike search would silently ignore", () => {
    expect(otherCauseSchema.safeParse(cause({ onlyWith: ["socket"] })).success).toBe(false);
  });
});
