import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type Activity, CloudAdapter, TurnContext } from "botbuilder";
import { ConnectorClient, MicrosoftAppCredentials } from "botframework-connector";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConnectorTimeoutError, turnConnector } from "../../adapters/teams/connectorClient.js";
import { isRetryable, sendFailure } from "../../adapters/teams/sendFailure.js";
import { within } from "./teamsHarness.js";

/** Far above the 200 ms deadline below: only a send nothing bounds misses it. */
const sendBoundMs = 5000;

describe("turnConnector", () => {
  let url = "";
  const hung = new Set<() => void>();
  const server = createServer((_req, res) => {
    hung.add(() => res.destroy());
  });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    for (const end of hung) end();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  function turnWithClient() {
    const adapter = new CloudAdapter();
    const client = new ConnectorClient(new MicrosoftAppCredentials("", ""), { baseUri: url });
    const context = new TurnContext(adapter, { type: "message" } as Activity);
    context.turnState.set(adapter.ConnectorClientKey, client);
    const policies = () =>
      (client as unknown as { client: { pipeline: { getOrderedPolicies(): Array<{ name: string }> } } }).client.pipeline
        .getOrderedPolicies()
        .map((p) => p.name);
    return { adapter, client, context, policies };
  }

  it("adds one deadline however often it is called, and the latest bound applies", async () => {
    const { adapter, client, context, policies } = turnWithClient();
    expect(policies()).toContain("defaultRetryPolicy");
    const first = turnConnector(adapter, context, 60_000);
    const second = turnConnector(adapter, context, 200);
    expect(first).toMatchObject({ client, retriesRemoved: true, timeoutAdded: true });
    expect(second).toMatchObject({ client, retriesRemoved: true, timeoutAdded: true });
    expect(policies().filter((name) => name === "scannerBotConnectorTimeout")).toHaveLength(1);
    expect(policies()).not.toContain("defaultRetryPolicy");
    // Before the token step, so a slow token is bounded too.
    expect(policies().indexOf("scannerBotConnectorTimeout")).toBeLessThan(
      policies().indexOf("ServiceClientContext_Credentials_SignRequest"),
    );

    const err = await within(
      client.conversations.sendToConversation("a:conversation", { type: "message", text: "x" } as Activity).then(
        () => undefined,
        (error: unknown) => error,
      ),
      sendBoundMs,
      "a send to a connector that never answers",
    );
    expect(err).toBeInstanceOf(ConnectorTimeoutError);
    expect(err).toMatchObject({ timeoutMs: 200, message: "The Bot Connector did not answer within 200ms." });
    // A timeout is "no answer": retryable, with no status.
    expect(sendFailure(err)).toEqual({ timedOutAfterMs: 200 });
    expect(isRetryable(sendFailure(err).status)).toBe(true);
  });

  it("reports a turn without a connector client as unbounded", () => {
    const adapter = new CloudAdapter();
    const context = new TurnContext(adapter, { type: "message" } as Activity);
    expect(turnConnector(adapter, context, 1000)).toEqual({
      client: undefined,
      retriesRemoved: false,
      timeoutAdded: false,
    });
  });

  it("classifies an abort without a status (the SDK's own timeout, if a caller set one) as no answer", () => {
    const aborted = Object.assign(new Error("The operation was aborted."), { name: "AbortError" });
    expect(sendFailure(aborted)).toEqual({});
    expect(isRetryable(sendFailure(aborted).status)).toBe(true);
  });
});
