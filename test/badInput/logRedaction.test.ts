import { Writable } from "node:stream";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import { teamsSectionSchema } from "../../src/config/teamsSection.js";
import { redactedLogPaths } from "../../src/foundation/logger.js";

/**
 * The bot's log redaction (src/foundation/logger.ts) against the objects that carry
 * secrets: the Slack and Teams settings, a node's settings and the whole
 * config, logged the ways code tends to log them (as the object, under a key,
 * one level deeper). No secret value may reach the log line.
 */

const secrets = {
  botToken: "xoxb-1111111111-2222222222-AbCdEfGhIjKlMnOpQrStUvWx",
  appToken: "xapp-1-A0123456789-0123456789012-abcdefabcdefabcdefabcdefabcdef01",
  signingSecret: "8f742231b10e8888abcd99e1a0c85a5f",
  appPassword: "Qm8Q~teams.client.secret-value_0123456789",
  certificatePrivateKey: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----",
  nodeSecret: "node-shared-secret-0123456789abcdef",
  proxyPassword: "pr0xy-Passw0rd-9f3a",
};

/** A logger with the bot's redaction settings, writing into a string. */
function capture(): { logger: pino.Logger; text: () => string } {
  let text = "";
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString("utf8");
      done();
    },
  });
  const logger = pino({ level: "info", redact: { paths: redactedLogPaths, censor: "[redacted]" } }, sink);
  return { logger, text: () => text };
}

const slack = slackSectionSchema.parse({
  botToken: secrets.botToken,
  appToken: secrets.appToken,
  signingSecret: secrets.signingSecret,
  proxy: `http://svc-bot:${secrets.proxyPassword}@proxy.contoso.com:3128`,
});
const teams = teamsSectionSchema.parse({
  appId: "5f1c9a2e-7b3d-4c8e-a6f0-2d4b8e1c3a7f",
  appPassword: secrets.appPassword,
  appType: "SingleTenant",
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
});
const teamsWithCertificate = teamsSectionSchema.parse({
  appId: "5f1c9a2e-7b3d-4c8e-a6f0-2d4b8e1c3a7f",
  certificateThumbprint: "A1B2C3D4E5F60718293A4B5C6D7E8F9012345678",
  certificatePrivateKey: secrets.certificatePrivateKey,
});
const node = { name: "scan-01", url: "https://scan-01.contoso.com:8443", secret: secrets.nodeSecret };
const config = botConfigSchema.parse({
  clusters: [{ name: "contoso-prod", nodes: [node] }],
  slack: { ...slack },
  teams: { appId: teams.appId, appPassword: secrets.appPassword },
});

describe("log redaction", () => {
  it("hides the secrets of Slack and Teams settings however they are logged", () => {
    const { logger, text } = capture();
    for (const settings of [slack, teams, teamsWithCertificate]) {
      logger.info(settings, "settings as the object");
      logger.info({ settings }, "settings under a key");
      logger.info({ adapter: { settings } }, "settings one level deeper");
    }
    const out = text();
    expect(out.split("\n").filter(Boolean)).toHaveLength(9);
    for (const value of Object.values(secrets)) expect(out).not.toContain(value.split("\n")[0]);
    expect(out).toContain("[redacted]");
    // What is not secret stays readable.
    expect(out).toContain("5f1c9a2e-7b3d-4c8e-a6f0-2d4b8e1c3a7f");
  });

  it("hides node secrets in a node, a cluster's node list and the whole config", () => {
    const { logger, text } = capture();
    logger.info({ node }, "node");
    logger.info({ config }, "config");
    logger.warn(config, "config as the object");
    const out = text();
    for (const value of Object.values(secrets)) expect(out).not.toContain(value.split("\n")[0]);
    expect(out).toContain("scan-01.contoso.com");
  });
});
