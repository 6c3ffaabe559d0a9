import { describe, expect, it } from "vitest";
import { slackSectionSchema } from "../../src/config/slackSection.js";

describe("slack config section", () => {
  it("fills the defaults for HTTP mode", () => {
    expect(slackSectionSchema.parse({ botToken: "xoxb-1", signingSecret: "s" })).toMatchObject({
      port: 3000,
      host: "0.0.0.0",
      path: "/slack/events",
      slashCommand: "/scanner",
      explainShortcutId: "explain_error",
      maxRequestBodyBytes: 1024 * 1024,
    });
  });

  it("needs a signing secret (HTTP) or an app token (Socket Mode)", () => {
    const result = slackSectionSchema.safeParse({ botToken: "xoxb-1" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain("appToken (Socket Mode) or signingSecret (HTTP mode)");
    expect(slackSectionSchema.safeParse({ botToken: "xoxb-1", appToken: "xapp-1" }).success).toBe(true);
  });

  it("names each bad field by path", () => {
    const result = slackSectionSchema.safeParse({
      botToken: "",
      signingSecret: "s",
      path: "slack/events",
      port: 70_000,
      apiUrl: "not a url",
      slashCommand: "scanner",
      unknown: true,
    });
    expect(result.success).toBe(false);
    const paths = result.error?.issues.map((i) => i.path.join(".") || i.code) ?? [];
    expect(paths).toEqual(expect.arrayContaining(["botToken", "path", "port", "apiUrl", "slashCommand"]));
    expect(JSON.stringify(result.error?.issues)).toContain("unknown");
  });
});
