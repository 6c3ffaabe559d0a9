import { describe, expect, it } from "vitest";
import { htmlToText } from "../../adapters/teams/messageText.js";
import { teamsSectionSchema } from "../../src/config/teamsSection.js";

describe("teams config section", () => {
  it("defaults to anonymous local mode on port 3978", () => {
    expect(teamsSectionSchema.parse({})).toMatchObject({
      appType: "MultiTenant",
      host: "0.0.0.0",
      port: 3978,
      path: "/api/messages",
      inTurnSendTimeout: 10_000,
      proactiveSendTimeout: 30_000,
    });
  });

  it("reads the connector timeouts as durations", () => {
    expect(teamsSectionSchema.parse({ inTurnSendTimeout: "12s", proactiveSendTimeout: "1m30s" })).toMatchObject({
      inTurnSendTimeout: 12_000,
      proactiveSendTimeout: 90_000,
    });
    expect(teamsSectionSchema.parse({ inTurnSendTimeout: 500 }).inTurnSendTimeout).toBe(500);
  });

  it.each([
    [{ inTurnSendTimeout: "20s" }, "teams.inTurnSendTimeout must be between 100ms and 14s (Teams allows 15s)"],
    [{ inTurnSendTimeout: "10ms" }, "teams.inTurnSendTimeout must be between 100ms and 14s (Teams allows 15s)"],
    [{ inTurnSendTimeout: "soon" }, '"soon" is not a duration'],
    [{ proactiveSendTimeout: "1h" }, "teams.proactiveSendTimeout must be between 100ms and 5m"],
    [{ proactiveSendTimeout: 0 }, "proactiveSendTimeout: Too small"],
  ])("rejects the connector timeout %j with a clear message", (input, message) => {
    const parsed = teamsSectionSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    const issues = parsed.error?.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") ?? "";
    expect(issues).toContain(message);
  });

  it.each([
    [{ appId: "a", appType: "SingleTenant", appPassword: "s" }, "tenantId"],
    [{ appId: "a", appType: "UserAssignedMSI", tenantId: "t", appPassword: "s" }, "appPassword"],
    [{ appPassword: "s" }, "appId"],
    [{ appId: "a" }, "appPassword"],
    [{ appId: "a", certificateThumbprint: "AB12" }, "certificatePrivateKey"],
    [{ appId: "a", appType: "UserAssignedMSI" }, "tenantId"],
    [{ publicDomain: "https://bot.contoso.com" }, "publicDomain"],
    [{ port: 70000 }, "port"],
    [{ endpoints: { channelTokenIssuer: "x" } }, "endpoints"],
    [{ appid: "typo" }, ""],
  ])("rejects %j, naming %s", (input, path) => {
    const parsed = teamsSectionSchema.safeParse(input);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join(".")).join(" ")).toContain(path);
  });

  it("accepts a single-tenant registration with a secret reference already resolved", () => {
    const parsed = teamsSectionSchema.parse({
      appId: "5f1c9a2e-7b3d-4c8e-a6f0-2d4b8e1c3a7f",
      appPassword: "resolved-secret",
      appType: "SingleTenant",
      tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      publicDomain: "scanner-bot.contoso.com",
    });
    expect(parsed.appType).toBe("SingleTenant");
  });
});

describe("Teams message text", () => {
  it("turns Teams HTML into the text a person sees", () => {
    expect(
      htmlToText("<p>Scan failed:</p><p>Access&nbsp;denied &lt;\\\\fs01\\share&gt; &#x27;x&#x27; &#39;y&#39;</p>"),
    ).toBe("Scan failed:\nAccess denied <\\\\fs01\\share> 'x' 'y'");
    expect(htmlToText("line one<br>line two<br/>&unknown; &#99999999;")).toBe(
      "line one\nline two\n&unknown; &#99999999;",
    );
  });
});
