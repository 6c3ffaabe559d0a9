import { describe, expect, it } from "vitest";
import { describeConfig, parseConfigText } from "../../src/config/configLoader.js";
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

describe("slack.proxy", () => {
  const base = { botToken: "xoxb-1", signingSecret: "s" };

  it("takes an http(s) proxy URL, with or without credentials", () => {
    for (const proxy of ["http://proxy.corp:3128", "https://scanner%40corp:p%3Ass@proxy.corp:8443/"]) {
      expect(slackSectionSchema.parse({ ...base, proxy }).proxy).toBe(proxy);
    }
    expect(slackSectionSchema.parse(base).proxy).toBeUndefined();
  });

  it("refuses anything else by path, without echoing the value (it may hold a password)", () => {
    for (const proxy of [
      "not a url",
      "socks5://u:pw-1@proxy.corp:1080",
      "http://u:pw-1@proxy.corp:3128/path",
      "",
      3128,
    ]) {
      const result = slackSectionSchema.safeParse({ ...base, proxy });
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(["proxy"]);
      expect(JSON.stringify(result.error?.issues)).not.toContain("pw-1");
    }
    const [issue] = slackSectionSchema.safeParse({ ...base, proxy: "ftp://proxy.corp" }).error?.issues ?? [];
    expect(issue?.message).toContain("slack.proxy must be an http(s) proxy URL");
  });

  const yaml = (proxy: string) => `
clusters:
  - name: contoso
    nodes:
      - { name: scan-01, url: "https://scan-01.contoso.com:8443", secret: env:SCANNER_SECRET }
slack:
  botToken: env:SLACK_BOT_TOKEN
  signingSecret: env:SLACK_SIGNING_SECRET
  proxy: ${proxy}
`;
  const env = {
    SCANNER_SECRET: "node-secret-value-1",
    SLACK_BOT_TOKEN: "xoxb-1",
    SLACK_SIGNING_SECRET: "signing-1",
    HTTPS_PROXY: "http://scanner:proxy-pw-7@proxy.corp:3128",
  };

  it("resolves env:NAME like the other secrets, and config check never prints it", () => {
    const result = parseConfigText(yaml("env:HTTPS_PROXY"), env);
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(result.config.slack?.proxy).toBe(env.HTTPS_PROXY);
    expect(result.secretSources).toContainEqual({ path: "slack.proxy", variable: "HTTPS_PROXY" });
    const summary = describeConfig(result.config, result.secretSources).join("\n");
    expect(summary).not.toContain("proxy-pw-7");
    expect(summary).not.toContain("proxy.corp");
  });

  it("reports an unset variable or a bad value by path, never the value", () => {
    const unset = parseConfigText(yaml("env:HTTPS_PROXY"), { ...env, HTTPS_PROXY: "" });
    expect(unset.ok).toBe(false);
    if (unset.ok) return;
    // One problem: the placeholder standing in for the unset variable is not reported as a bad URL too.
    expect(unset.problems).toEqual([
      'slack.proxy: environment variable HTTPS_PROXY is not set (the value says "env:HTTPS_PROXY")',
    ]);
    const bad = parseConfigText(yaml("env:HTTPS_PROXY"), { ...env, HTTPS_PROXY: "proxy.corp:3128 u:proxy-pw-7" });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.problems).toEqual([expect.stringMatching(/^slack\.proxy: slack\.proxy must be an http\(s\) proxy URL/)]);
    expect(bad.problems.join("\n")).not.toContain("proxy-pw-7");
  });
});
