import type { App, RespondArguments } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import type { AdapterContext } from "../../adapters/slack/adapterContext.js";
import { renderBlockKit } from "../../adapters/slack/blockKit.js";
import { createButtonValueCodec } from "../../adapters/slack/buttonValue.js";
import { registerSlashCommand } from "../../adapters/slack/slashCommand.js";
import { answerInThread } from "../../adapters/slack/threadReply.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { reply } from "../../src/reply/reply.js";
import { defineCommand } from "../../src/routing/command.js";
import { createRouter } from "../../src/routing/router.js";
import { botId, botToken, botUserId, eventually, signingSecret } from "./slackHarness.js";

/**
 * Slack can hide a reply inside the conversation (ephemeral messages), so a `personal` reply (the audit
 * log) is shown there like a `private` one: to the asker only, never in_channel or as a posted message.
 */

const caller = { platform: "slack" as const, userId: "U0ASKER1", conversationId: "C0SHARED1" };

function personalCommands() {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const personalAnswer = () =>
    reply("Last 1 audit entries", { visibility: "personal" }).heading("Audit log").text("SCAN-NODE-07").build();
  const quick = defineCommand({
    name: "mine",
    summary: "A personal answer (test).",
    usage: "mine",
    help: "test",
    args: z.object({}),
    input: () => ({}),
    run: personalAnswer,
  });
  const slow = defineCommand({
    name: "slowmine",
    summary: "A personal answer behind a private placeholder (test).",
    usage: "slowmine",
    help: "test",
    args: z.object({}),
    input: () => ({}),
    placeholder: () => reply("Reading the audit log…", { visibility: "private" }).build(),
    run: async () => {
      await gate;
      return personalAnswer();
    },
  });
  return { commands: [quick, slow], release };
}

/** A real router and renderer; the Web API and response_url are recorders. */
function adapterContext() {
  const { commands, release } = personalCommands();
  const router = createRouter(commands, { now: () => new Date("2026-11-25T03:00:00Z") }, silentLogger());
  const codec = createButtonValueCodec(botToken);
  const api: { method: string; args: Record<string, unknown> }[] = [];
  const record = (method: string) => async (args: Record<string, unknown>) => {
    api.push({ method, args });
    return { ok: true, ts: "1700000000.000100" };
  };
  const client = {
    chat: { postEphemeral: record("postEphemeral"), postMessage: record("postMessage"), update: record("update") },
  };
  const responses: RespondArguments[] = [];
  const ctx: AdapterContext = {
    router,
    settings: slackSectionSchema.parse({ botToken, signingSecret, botId, botUserId, placeholderAfter: 5 }),
    logger: silentLogger(),
    client: client as unknown as AdapterContext["client"],
    buttons: codec,
    render: (r, maxBlocks) => renderBlockKit(r, { buttonValue: codec.encode, ...(maxBlocks ? { maxBlocks } : {}) }),
    responseUrl: {
      post: async (_url, message) => {
        responses.push(message);
      },
      close: () => undefined,
    },
  };
  return { ctx, api, responses, release };
}

type SlashListener = (args: {
  command: Record<string, string>;
  ack: (r?: RespondArguments) => Promise<void>;
}) => Promise<void>;

/** Registers the real slash-command listener on a stand-in App and returns it. */
function slashListener(ctx: AdapterContext): SlashListener {
  let listener: SlashListener | undefined;
  const app = {
    command: (_name: string, registered: SlashListener) => {
      listener = registered;
    },
  };
  registerSlashCommand(app as unknown as App, ctx);
  if (!listener) throw new Error("no slash command listener registered");
  return listener;
}

const slashPayload = (text: string) => ({
  text,
  user_id: caller.userId,
  channel_id: caller.conversationId,
  response_url: "https://hooks.slack.com/commands/1234/5678",
});

describe("personal replies in Slack", () => {
  it("answers a slash command with a personal reply ephemerally, in the ack", async () => {
    const { ctx } = adapterContext();
    const acks: (RespondArguments | undefined)[] = [];
    await slashListener(ctx)({ command: slashPayload("mine"), ack: async (r) => void acks.push(r) });
    expect(acks).toHaveLength(1);
    expect(acks[0]?.response_type).toBe("ephemeral");
    expect(JSON.stringify(acks[0])).toContain("SCAN-NODE-07");
  });

  it("replaces a private placeholder with the personal answer in place, both ephemeral", async () => {
    const { ctx, responses, release } = adapterContext();
    const acks: (RespondArguments | undefined)[] = [];
    await slashListener(ctx)({ command: slashPayload("slowmine"), ack: async (r) => void acks.push(r) });
    expect(acks).toEqual([undefined]);
    await eventually(() => responses.length >= 1);
    expect(responses[0]).toMatchObject({ response_type: "ephemeral", text: "Reading the audit log…" });
    release();
    await eventually(() => responses.length >= 2);
    // Both are for the asker only: no delete-and-repost, which Slack needs only across visibilities.
    expect(responses[1]).toMatchObject({ response_type: "ephemeral", replace_original: true });
    expect(JSON.stringify(responses[1])).toContain("SCAN-NODE-07");
    expect(responses.some((r) => "delete_original" in r)).toBe(false);
  });

  it("answers a mention in a channel with an ephemeral message, never a posted one", async () => {
    const { ctx, api } = adapterContext();
    const target = {
      channel: caller.conversationId,
      threadTs: "1700000000.000001",
      userId: caller.userId,
      direct: false,
    };
    await answerInThread(ctx, target, ctx.router.dispatch("mine", caller));
    expect(api.map((c) => c.method)).toEqual(["postEphemeral"]);
    expect(api[0]?.args).toMatchObject({ channel: caller.conversationId, user: caller.userId });
    expect(JSON.stringify(api[0]?.args)).toContain("SCAN-NODE-07");
  });

  it("posts a personal reply normally in a DM with the bot, which only the asker sees", async () => {
    const { ctx, api } = adapterContext();
    const target = { channel: "D0DIRECT1", userId: caller.userId, direct: true };
    await answerInThread(ctx, target, ctx.router.dispatch("mine", { ...caller, conversationId: "D0DIRECT1" }));
    expect(api.map((c) => c.method)).toEqual(["postMessage"]);
  });
});
