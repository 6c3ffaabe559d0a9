import nock from "nock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createButtonValueCodec } from "../../adapters/slack/buttonValue.js";
import { type SlackAdapter, startSlackAdapter } from "../../adapters/slack/slackAdapter.js";
import { allCommands } from "../../commands/index.js";
import { createAccessPolicy } from "../../src/access/accessPolicy.js";
import { InMemoryAuditSink } from "../../src/access/audit.js";
import { ConfirmationLedger } from "../../src/actions/confirmationLedger.js";
import { accessSectionSchema } from "../../src/config/accessSection.js";
import { slackSectionSchema } from "../../src/config/slackSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { createRouter, type Router } from "../../src/routing/router.js";
import { fleetConfig, LoopbackAgents } from "../fleet/loopbackAgents.js";
import {
  type ApiCall,
  botId,
  botToken,
  botUserId,
  eventually,
  fakeSlackApi,
  sendToSlackApp,
  signingSecret,
  fixture as slackFixture,
} from "../slack/slackHarness.js";
import { startTestTeams, type TestTeams, fixture as teamsFixture, waitFor } from "../teams/teamsHarness.js";
import { countServerRequests, type RequestCounter } from "./requestCounter.js";

/**
 * Buttons carry command lines. A button value the bot really signed (Slack)
 * or any crafted card submit (Teams) still runs as the person who clicked:
 * a viewer clicking an admin's restart, audit or confirmation button, or
 * posting such a submit by hand, gets "not allowed" and no agent is asked.
 */

const agents = new LoopbackAgents();
let audit: InMemoryAuditSink;
let router: Router;
let counter: RequestCounter;

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(() => nock.enableNetConnect());

beforeEach(async () => {
  audit = new InMemoryAuditSink();
  const nodes = await Promise.all(["scan-01", "scan-02"].map((n) => agents.agent(n, { cluster: "contoso-prod" })));
  router = createRouter(
    allCommands,
    {
      now: () => new Date(),
      fleet: agents.fleet(fleetConfig({ "contoso-prod": nodes })),
      audit,
      // Only U0ADMIN is an admin; everyone else is a viewer.
      access: createAccessPolicy(
        accessSectionSchema.parse({ admins: [{ platform: "slack", user: "U0ADMIN" }], unknownUsers: "viewer" }),
      ),
      guardedActions: {
        enabled: new Set(["restart-service", "start-scan", "stop-scan", "export-logs"] as const),
        ledger: new ConfirmationLedger(),
      },
    },
    silentLogger(),
  );
  counter = countServerRequests();
});

afterEach(async () => {
  counter.stop();
  await agents.closeAll();
});

/** Command lines only an admin may run, as buttons would carry them. */
const adminLines = [
  "restart scan-01",
  "restart scan-01 --confirm=9f1c2e7a4b",
  "scan stop contoso-prod",
  "logs export scan-02",
  "audit 50",
];

describe("Slack: authentic button values clicked by a viewer", () => {
  let adapter: SlackAdapter;
  let api: ApiCall[];
  afterEach(async () => {
    await adapter.stop();
    nock.cleanAll();
  });

  it("are refused as not allowed, and no agent is asked", async () => {
    api = fakeSlackApi();
    adapter = await startSlackAdapter({
      router,
      settings: slackSectionSchema.parse({ botToken, signingSecret, botId, botUserId }),
      logger: silentLogger(),
      port: 0,
      host: "127.0.0.1",
      retryConfig: { retries: 0 },
    });
    const codec = createButtonValueCodec(botToken);
    for (const line of adminLines) {
      // One click each: its own payload, with its own trigger_id.
      const payload = slackFixture("block_actions");
      const base = (payload.actions as Record<string, unknown>[])[0];
      const click = { ...payload, actions: [{ ...base, value: codec.encode(line) }] };
      const response = await sendToSlackApp(adapter.url ?? "", {
        kind: "form",
        fields: { payload: JSON.stringify(click) },
      });
      expect(response.status).toBe(200);
    }
    const answers = await eventually(() => (api.length >= adminLines.length ? api : undefined));
    for (const answer of answers) expect(JSON.stringify(answer.args)).toMatch(/not allowed|only admins|admin/i);
    expect(counter.paths.filter((p) => p.startsWith("/v1/"))).toEqual([]);
    expect(audit.entries.filter((e) => e.platform === "slack").map((e) => e.outcome)).toEqual(
      adminLines.map(() => "denied"),
    );
  });
});

describe("Teams: crafted card submits from a viewer", () => {
  let teams: TestTeams;
  afterEach(() => teams.close());

  it("are refused as not allowed, confirmed or not, and no agent is asked", async () => {
    teams = await startTestTeams({ auth: true, router });
    for (const line of adminLines) {
      for (const confirmed of [undefined, true]) {
        const activity = teamsFixture("card-submit", teams.connector.url);
        const value = confirmed ? { scannerCommand: line, confirmed } : { scannerCommand: line };
        const answer = await teams.post({ ...activity, value });
        expect(answer.status, line).toBeLessThan(300);
      }
    }
    await waitFor(() => teams.connector.calls.length >= adminLines.length * 2);
    for (const call of teams.connector.calls)
      expect(JSON.stringify(call.body)).toMatch(/not allowed|only admins|admin/i);
    expect(counter.paths.filter((p) => p.startsWith("/v1/"))).toEqual([]);
    expect(audit.entries.filter((e) => e.platform === "teams").map((e) => e.outcome)).toEqual(
      adminLines.flatMap(() => ["denied", "denied"]),
    );
  });
});
