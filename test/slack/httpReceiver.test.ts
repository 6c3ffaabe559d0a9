import { connect } from "node:net";
import nock from "nock";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type SlackAdapter, startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { fleetConfig, LoopbackAgents } from "../fleet/loopbackAgents.js";
import {
  type ApiCall,
  botId,
  botToken,
  botUserId,
  buildTestRouter,
  encodeBody,
  eventually,
  fakeSlackApi,
  fixture,
  loopbackOnlyWithResponseUrls,
  type ResponseUrlServer,
  sendToSlackApp,
  signedHeaders,
  signingSecret,
  type TestRouter,
} from "./slackHarness.js";

const maxRequestBodyBytes = 64 * 1024;

let adapter: SlackAdapter;
let url: string;
let hooks: ResponseUrlServer;
let test: TestRouter;
let api: ApiCall[];

const slash = (text: string) => ({
  kind: "form" as const,
  fields: {
    ...(fixture("slash_command") as Record<string, string>),
    text,
    response_url: `${hooks.base}/commands/1234/5678`,
  },
});
const event = (name: string, patch: Record<string, unknown> = {}) => {
  const body = fixture(name);
  return { kind: "json" as const, value: { ...body, event: { ...(body.event as object), ...patch } } };
};
const interaction = (payload: Record<string, unknown>) => ({
  kind: "form" as const,
  fields: { payload: JSON.stringify(payload) },
});
const sectionTexts = (blocks: unknown) => JSON.stringify(blocks);

const responseUrls = loopbackOnlyWithResponseUrls();

beforeEach(async () => {
  hooks = responseUrls();
  test = buildTestRouter();
  api = fakeSlackApi();
  hooks.received.length = 0;
  adapter = await startSlackAdapter({
    router: test.router,
    settings: slackSectionSchema.parse({ botToken, signingSecret, botId, botUserId, maxRequestBodyBytes }),
    logger: silentLogger(),
    port: 0,
    host: "127.0.0.1",
    retryConfig: { retries: 0 },
    // Long enough that "a connection with nothing sent yet holds answers" can't expire mid-test.
    acceptGraceMs: 1000,
  });
  url = adapter.url ?? "";
});

afterEach(async () => {
  await adapter.stop();
  nock.cleanAll();
});

describe("Slack over HTTP: slash command", () => {
  it("answers a fast command (help) in the ack itself, privately", async () => {
    const response = await sendToSlackApp(url, slash("help"));
    expect(response.status).toBe(200);
    const ack = JSON.parse(response.text) as { response_type: string; text: string; blocks: unknown[] };
    expect(ack.response_type).toBe("ephemeral");
    expect(ack.text).toBe("scanner-bot commands");
    expect(sectionTexts(ack.blocks)).toContain("restart &lt;node&gt;");
    expect(test.lines).toEqual(["help"]);
    expect(hooks.received).toHaveLength(0);
  });

  it("acks a command that does I/O at once with an empty ack, then answers alone through the response URL", async () => {
    const response = await sendToSlackApp(url, slash("status"));
    expect(response.status).toBe(200);
    expect(response.text).toBe("");
    const [delayed] = await eventually(() => (hooks.received.length > 0 ? hooks.received : undefined));
    expect(delayed?.path).toBe("/commands/1234/5678");
    expect(delayed?.body).toMatchObject({ response_type: "in_channel", text: "3 scanner nodes, 1 needs attention" });
    expect(delayed?.body.replace_original).toBeUndefined();
    expect(sectionTexts(delayed?.body.blocks)).toContain("FS-NODE-02");
    // Answered within placeholderAfter: one message, no placeholder flicker.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hooks.received).toHaveLength(1);
    expect(test.runs.status).toBe(1);
  });

  it("shows the placeholder of a command still working after placeholderAfter, then replaces it", async () => {
    await adapter.stop();
    test = buildTestRouter({ statusDelayMs: 300 });
    adapter = await startSlackAdapter({
      router: test.router,
      settings: slackSectionSchema.parse({ botToken, signingSecret, botId, botUserId, placeholderAfter: "50ms" }),
      logger: silentLogger(),
      port: 0,
      host: "127.0.0.1",
      retryConfig: { retries: 0 },
    });
    const response = await sendToSlackApp(adapter.url ?? "", slash("status"));
    expect(response.text).toBe("");
    const [placeholder, answer] = await eventually(() => (hooks.received.length >= 2 ? hooks.received : undefined));
    expect(placeholder?.body).toEqual({ response_type: "in_channel", text: "Checking 3 scanner nodes…" });
    expect(answer?.body).toMatchObject({
      response_type: "in_channel",
      replace_original: true,
      text: "3 scanner nodes, 1 needs attention",
    });
  });

  it("starts answer work only once no other request is still coming in", async () => {
    const { port } = new URL(url);
    const incoming = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => incoming.once("connect", resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // A request is on its way (connected, nothing sent yet): the command waits behind it.
    const dispatch = test.router.dispatch("status", { platform: "slack", userId: "U1" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(test.runs.status).toBe(0);
    incoming.destroy();
    await eventually(() => (test.runs.status === 1 ? true : undefined));
    expect((await dispatch.result).text).toBe("3 scanner nodes, 1 needs attention");
  });

  it("stops holding answers for a connection that stays idle past its grace", async () => {
    const lane = test.router.services.lane;
    const { port } = new URL(url);
    const idle = connect(Number(port), "127.0.0.1");
    await new Promise((resolve) => idle.once("connect", resolve));
    await eventually(() => (lane.open === 1 ? true : undefined));
    // Still connected, never sending: after the grace (1 s here) it no longer holds answer work back.
    await eventually(() => (lane.open === 0 ? true : undefined));
    expect(idle.destroyed).toBe(false);
    // When it does send a request, that request holds the lane again until it is answered.
    const { text, contentType } = encodeBody(slash("help"));
    const headers = { ...signedHeaders(text), "content-type": contentType, "content-length": Buffer.byteLength(text) };
    const head = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`);
    idle.write(`POST /slack/events HTTP/1.1\r\nhost: 127.0.0.1\r\n${head.join("")}\r\n${text}`);
    const answered = await new Promise<string>((resolve) => idle.once("data", (d: Buffer) => resolve(d.toString())));
    expect(answered).toMatch(/^HTTP\/1\.1 200/);
    await eventually(() => (lane.open === 0 ? true : undefined));
    idle.destroy();
  });

  it("answers an unknown command privately with a suggestion", async () => {
    const response = await sendToSlackApp(url, slash("stauts"));
    const ack = JSON.parse(response.text) as { response_type: string; blocks: unknown[] };
    expect(ack.response_type).toBe("ephemeral");
    expect(sectionTexts(ack.blocks)).toContain("Did you mean");
  });
});

describe("Slack over HTTP: mentions and direct messages", () => {
  it("explains a pasted error from a mention in the thread, mention stripped and entities decoded", async () => {
    const response = await sendToSlackApp(url, event("app_mention"));
    expect(response.status).toBe(200);
    const [post] = await eventually(() => (api.length > 0 ? api : undefined));
    expect(post?.method).toBe("chat.postMessage");
    expect(post?.args).toMatchObject({ channel: "C2147483705", thread_ts: "1515449522.000016" });
    expect(test.lines).toEqual([
      "Microsoft.InformationProtection.Exceptions.SchemaMismatchException: Database schema mismatch <expected 1.5>",
    ]);
  });

  it("runs a command named in a mention: placeholder in the thread, then updated in place", async () => {
    await sendToSlackApp(url, event("app_mention", { text: "<@U0LAN0Z89> status", ts: "1515449600.000100" }));
    const calls = await eventually(() => (api.length >= 2 ? api : undefined));
    expect(calls[0]).toMatchObject({
      method: "chat.postMessage",
      args: { thread_ts: "1515449600.000100", text: "Checking 3 scanner nodes…" },
    });
    expect(calls[1]?.method).toBe("chat.update");
    expect(calls[1]?.args).toMatchObject({ channel: "C2147483705", text: "3 scanner nodes, 1 needs attention" });
    expect(typeof calls[1]?.args.ts).toBe("string");
  });

  it("answers a DM in its thread and ignores the bot's own and edited messages", async () => {
    await sendToSlackApp(url, event("message_im", { bot_id: botId, user: botUserId, ts: "1355517520.000001" }));
    await sendToSlackApp(url, event("message_im", { subtype: "message_changed", ts: "1355517521.000001" }));
    await sendToSlackApp(url, event("message_im"));
    const [post] = await eventually(() => (api.length > 0 ? api : undefined));
    expect(post?.args).toMatchObject({ channel: "D024BE91L", thread_ts: "1355517523.000005" });
    expect(test.lines).toHaveLength(1);
    expect(test.lines[0]).toContain("Could not load file or assembly");
  });

  it("sends private replies (errors) in a channel as ephemeral messages", async () => {
    await sendToSlackApp(url, event("app_mention", { text: "<@U0LAN0Z89> help nosuchthing" }));
    const [post] = await eventually(() => (api.length > 0 ? api : undefined));
    expect(post?.method).toBe("chat.postEphemeral");
    expect(post?.args).toMatchObject({ channel: "C2147483705", user: "U2147483697" });
  });
});

describe("Slack over HTTP: Explain error shortcut", () => {
  it("explains the message's text in its thread", async () => {
    const payload = { ...fixture("message_shortcut"), response_url: `${hooks.base}/app/shortcut` };
    const response = await sendToSlackApp(url, interaction(payload));
    expect(response.status).toBe(200);
    const [post] = await eventually(() => (api.length > 0 ? api : undefined));
    expect(post?.args).toMatchObject({ channel: "C2147483705", thread_ts: "1581106212.001200" });
    expect(test.lines).toEqual([
      "explain Scanner on FS-NODE-02 stopped: Error: The SQL Server instance <SCANNERSQL\\AIP> is not reachable (0x80131904)",
    ]);
  });

  it("falls back to a private answer when the bot is not in the channel", async () => {
    nock.cleanAll();
    api = fakeSlackApi(() => ({ body: { ok: false, error: "not_in_channel" } }));
    const payload = { ...fixture("message_shortcut"), response_url: `${hooks.base}/app/shortcut` };
    await sendToSlackApp(url, interaction(payload));
    const [delayed] = await eventually(() => (hooks.received.length > 0 ? hooks.received : undefined));
    expect(delayed?.path).toBe("/app/shortcut");
    expect(delayed?.body.response_type).toBe("ephemeral");
    expect(api.map((c) => c.method)).toContain("chat.postMessage");
  });
});

describe("Slack over HTTP: buttons", () => {
  async function restartButton(): Promise<{ value: string; confirm: unknown }> {
    const ack = JSON.parse((await sendToSlackApp(url, slash("nodes"))).text) as { blocks: Record<string, unknown>[] };
    const actions = ack.blocks.find((b) => b.type === "actions") as { elements: Record<string, unknown>[] };
    const button = actions.elements[0] as { value: string; confirm: unknown; style: string };
    expect(button.style).toBe("danger");
    return { value: button.value, confirm: button.confirm };
  }

  it("runs the button's command for the clicking user, after a confirmation dialog", async () => {
    const { value, confirm } = await restartButton();
    expect(confirm).toMatchObject({ title: { type: "plain_text" }, confirm: { text: expect.any(String) } });
    const payload = fixture("block_actions");
    const actions = [{ ...(payload.actions as Record<string, unknown>[])[0], value }];
    const response = await sendToSlackApp(url, interaction({ ...payload, actions }));
    expect(response.status).toBe(200);
    const [post] = await eventually(() => (api.length > 0 ? api : undefined));
    expect(post?.method).toBe("chat.postMessage");
    expect(post?.args).toMatchObject({
      channel: "C2147483705",
      thread_ts: "1548261231.000200",
      text: "Restarted the scanner on FS-NODE-02 for U2147483697",
    });
    expect(test.runs.restart).toBe(1);
  });

  it("runs the command of an option chosen from a reply's overflow menu (its actions beyond the third)", async () => {
    const { value } = await restartButton();
    const payload = fixture("block_actions");
    const chosen = {
      action_id: "scanner_run_3",
      block_id: "b",
      type: "overflow",
      selected_option: { text: { type: "plain_text", text: "Restart" }, value },
      action_ts: "1548426417.840180",
    };
    const response = await sendToSlackApp(url, interaction({ ...payload, actions: [chosen] }));
    expect(response.status).toBe(200);
    const [post] = await eventually(() => (api.length > 0 ? api : undefined));
    expect(post?.args).toMatchObject({ text: "Restarted the scanner on FS-NODE-02 for U2147483697" });
    expect(test.runs.restart).toBe(1);
  });

  it("refuses an edited or forged button value and runs nothing", async () => {
    const { value } = await restartButton();
    for (const forged of [
      value.replace("FS-NODE-02", "FS-NODE-01"),
      "restart FS-NODE-02",
      `v1.${"0".repeat(32)}.restart FS-NODE-02`,
    ]) {
      // Three separate clicks: each its own payload (its own trigger_id).
      const payload = fixture("block_actions");
      const base = (payload.actions as Record<string, unknown>[])[0];
      await sendToSlackApp(url, interaction({ ...payload, actions: [{ ...base, value: forged }] }));
    }
    const posts = await eventually(() => (api.length >= 3 ? api : undefined));
    expect(posts.every((p) => p.method === "chat.postEphemeral")).toBe(true);
    expect(JSON.stringify(posts[0]?.args.blocks)).toContain("no longer valid");
    expect(test.runs.restart).toBe(0);
    expect(test.lines).toEqual(["nodes"]);
  });
});

describe("Slack over HTTP: App Home", () => {
  async function restartWith(router: TestRouter): Promise<void> {
    await adapter.stop();
    test = router;
    adapter = await startSlackAdapter({
      router: test.router,
      settings: slackSectionSchema.parse({ botToken, signingSecret, botId, botUserId }),
      logger: silentLogger(),
      port: 0,
      host: "127.0.0.1",
    });
  }

  it("publishes the fleet at a glance from the real status command over real agents", async () => {
    const agents = new LoopbackAgents();
    try {
      const nodes = [await agents.agent("FS-NODE-01"), await agents.agent("FS-NODE-02")];
      await restartWith(buildTestRouter({ fleet: agents.fleet(fleetConfig({ contoso: nodes })) }));
      await sendToSlackApp(adapter.url ?? "", event("app_home_opened"));
      const views = await eventually(() => {
        const published = api.filter((c) => c.method === "views.publish");
        const last = published.at(-1)?.args.view;
        return JSON.stringify(last ?? "").includes("FS-NODE-02") ? published : undefined;
      });
      expect(views[0]?.args.user_id).toBe("U2147483697");
      const final = views.at(-1)?.args.view as { type: string; blocks: unknown[] };
      expect(final.type).toBe("home");
      expect(JSON.stringify(final.blocks)).toContain("FS-NODE-01");
      expect(test.lines).toContain("status");
    } finally {
      await agents.closeAll();
    }
  });

  it("shows a welcome with the help when no fleet is configured", async () => {
    await sendToSlackApp(url, event("app_home_opened"));
    const [view] = await eventually(() => (api.length > 0 ? api : undefined));
    expect(view?.method).toBe("views.publish");
    const text = JSON.stringify(view?.args.view);
    expect(text).toContain("No fleet is set up");
    expect(text).toContain("scanner-bot commands");
    expect(test.lines).toEqual(["help"]);
  });
});

describe("Slack over HTTP: failures", () => {
  it("logs a failed Web API call without the bot token and keeps serving", async () => {
    await adapter.stop();
    nock.cleanAll();
    nock("https://slack.com").post("/api/chat.postMessage").replyWithError("socket hang up");
    const lines: string[] = [];
    const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(line) });
    adapter = await startSlackAdapter({
      router: test.router,
      settings: slackSectionSchema.parse({ botToken, signingSecret, botId, botUserId }),
      logger,
      port: 0,
      host: "127.0.0.1",
      retryConfig: { retries: 0 },
    });
    await sendToSlackApp(adapter.url ?? "", event("app_mention"));
    await eventually(() => lines.some((l) => l.includes("answering in thread failed")));
    expect(lines.join("\n")).not.toContain(botToken);
    const help = await sendToSlackApp(adapter.url ?? "", slash("help"));
    expect(help.status).toBe(200);
  });
});

describe("Slack over HTTP: requests that are not from Slack", () => {
  it("rejects unsigned, badly signed, stale, oversize and malformed requests without running anything", async () => {
    const body = slash("status");
    const cases: { name: string; send: () => Promise<{ status: number }>; status: number }[] = [
      { name: "unsigned", send: () => sendToSlackApp(url, body, { sign: false }), status: 401 },
      { name: "wrong secret", send: () => sendToSlackApp(url, body, { secret: "not-the-secret" }), status: 401 },
      {
        name: "stale",
        send: () => sendToSlackApp(url, body, { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 }),
        status: 401,
      },
      {
        name: "oversize",
        send: () => sendToSlackApp(url, slash(`status ${"x".repeat(maxRequestBodyBytes)}`)),
        status: 413,
      },
      {
        name: "malformed JSON",
        send: () =>
          fetch(url, {
            method: "POST",
            headers: { "content-type": "application/json", ...signedHeaders('{"type":"event_callback",') },
            body: '{"type":"event_callback",',
          }),
        status: 400,
      },
    ];
    for (const c of cases) {
      const response = await c.send();
      expect({ name: c.name, status: response.status }).toEqual({ name: c.name, status: c.status });
    }
    const notJsonPayload = await sendToSlackApp(url, { kind: "form", fields: { payload: "{not json" } });
    expect(notJsonPayload.status).toBe(400);
    // Signed, well-formed, but not a usable slash command: answered with a message, nothing runs.
    const withoutUser: Record<string, string> = { ...slash("status").fields };
    delete withoutUser.user_id;
    const missingUser = await sendToSlackApp(url, { kind: "form", fields: withoutUser });
    expect(missingUser.status).toBe(200);
    expect(missingUser.text).toContain("couldn't read that command");
    // A signed envelope whose payload is not a Slack payload at all.
    const odd = await sendToSlackApp(url, { kind: "json", value: { type: "event_callback", event: 42 } });
    expect(odd.status).toBeLessThan(500);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(test.lines).toEqual([]);
    expect(test.runs.status).toBe(0);
    expect(api).toEqual([]);
    expect(hooks.received).toEqual([]);
  });
});
