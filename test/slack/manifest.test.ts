import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { slackSectionSchema } from "../../src/config/slackSection.js";

/** The manifest fields the adapter depends on; the rest is Slack's business. */
const manifestSchema = z.object({
  display_information: z.object({ name: z.string().min(1).max(35), description: z.string().max(140) }),
  features: z.object({
    app_home: z.object({ home_tab_enabled: z.literal(true), messages_tab_enabled: z.literal(true) }),
    bot_user: z.object({ display_name: z.string().min(1).max(80) }),
    slash_commands: z.array(z.object({ command: z.string(), usage_hint: z.string().max(1000) })),
    shortcuts: z.array(z.object({ name: z.string(), type: z.literal("message"), callback_id: z.string() })),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.object({ bot_events: z.array(z.string()) }),
    interactivity: z.object({ is_enabled: z.literal(true) }),
    socket_mode_enabled: z.boolean(),
  }),
});

describe("manifest/slack.yml", () => {
  const manifest = manifestSchema.parse(
    parse(readFileSync(new URL("../../manifest/slack.yml", import.meta.url), "utf8")),
  );
  const defaults = slackSectionSchema.parse({ botToken: "xoxb-x", appToken: "xapp-x" });

  it("declares the slash command and shortcut the adapter listens for by default", () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual([defaults.slashCommand]);
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ name: "Explain error", callback_id: defaults.explainShortcutId }),
    ]);
  });

  it("subscribes to the events and grants the scopes the adapter uses", () => {
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual([
      "app_home_opened",
      "app_mention",
      "message.im",
    ]);
    for (const scope of [
      "commands",
      "chat:write",
      "app_mentions:read",
      "im:history",
      "im:read",
      "im:write",
      "usergroups:read",
      "files:write",
    ]) {
      expect(manifest.oauth_config.scopes.bot).toContain(scope);
    }
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });
});
