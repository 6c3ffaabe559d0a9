import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { createAccessPolicy } from "../../src/access/accessPolicy.js";
import { createGroupResolver, type GroupDirectory } from "../../src/access/groupMembership.js";
import { botConfigSchema } from "../../src/config/botConfig.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { reply } from "../../src/reply/reply.js";
import { defineCommand } from "../../src/routing/command.js";
import { createRouter } from "../../src/routing/router.js";
import { type Runtime, startRuntime } from "../../src/runtime/runtime.js";
import {
  botId,
  botToken,
  botUserId,
  freshRequestId,
  readBody,
  sendToSlackApp,
  signingSecret,
} from "../slack/slackHarness.js";
import { cardOf, fixture, startTestTeams, type TestTeams, waitFor } from "../teams/teamsHarness.js";

/** Every line the bot logged, parsed. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: "info" }, sink), lines };
}

interface Recorded {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A loopback HTTP server whose answers the test decides; it records every request. */
async function stubServer(answer: (req: Recorded) => { status: number; body: unknown }) {
  const requests: Recorded[] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((body) => {
      const recorded = { path: req.url ?? "", headers: req.headers, body };
      requests.push(recorded);
      const { status, body: out } = answer(recorded);
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(out));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe("Slack user groups grant roles (signed slash commands, Slack's Web API on loopback)", () => {
  async function start(members: Record<string, string[] | { error: string }>) {
    const slackApi = await stubServer((req) => {
      const group = new URLSearchParams(req.body).get("usergroup") ?? "";
      const entry = members[group];
      if (!req.path.endsWith("/usergroups.users.list") || !entry)
        return { status: 200, body: { ok: false, error: "no_such_subteam" } };
      return { status: 200, body: Array.isArray(entry) ? { ok: true, users: entry } : { ok: false, ...entry } };
    });
    closers.push(slackApi.close);
    const answers: string[] = [];
    const responseUrl = await stubServer((req) => {
      answers.push(req.body);
      return { status: 200, body: { ok: true } };
    });
    closers.push(responseUrl.close);
    const { logger, lines } = capturedLogger();
    const config = botConfigSchema.parse({
      clusters: [],
      store: { path: ":memory:" },
      slack: { botToken, signingSecret, botId, botUserId, host: "127.0.0.1", port: 0, apiUrl: `${slackApi.url}/api/` },
      access: {
        admins: [{ platform: "slack", group: "S0ADMINS" }],
        operators: [{ platform: "slack", user: "U0OPS" }],
        unknownUsers: "viewer",
      },
    });
    const runtime: Runtime = await startRuntime({ config, logger });
    closers.push(() => runtime.stop("test over"));
    const ask = async (userId: string, text: string) => {
      const before = answers.length;
      const fields = {
        token: "legacy",
        team_id: "T0001",
        channel_id: "C0OPS",
        user_id: userId,
        user_name: userId.toLowerCase(),
        command: "/scanner",
        text,
        response_url: `${responseUrl.url}/hooks/${userId}`,
        trigger_id: freshRequestId("1.2."),
      };
      const ack = await sendToSlackApp(runtime.urls.slack ?? "", { kind: "form", fields });
      expect(ack.status).toBe(200);
      if (ack.text) return ack.text;
      await waitFor(() => answers.length > before);
      return answers.at(-1) ?? "";
    };
    return { ask, slackApi, lines };
  }

  it("gives a member of an admin user group the admin role, and nobody else", async () => {
    const { ask, slackApi } = await start({ S0ADMINS: ["U0ANA", "U0BEN"] });
    const asMember = await ask("U0ANA", "audit");
    expect(asMember).not.toContain("needs the admin role");
    expect(asMember).toMatch(/audit/i);
    const asStranger = await ask("U0EVE", "audit");
    expect(asStranger).toContain("needs the admin role");
    // One member list serves both callers until the cache expires.
    expect(slackApi.requests.filter((r) => r.path.endsWith("/usergroups.users.list"))).toHaveLength(1);
  });

  it("keeps a caller's named roles when the lookup fails, and logs one line saying why", async () => {
    const { ask, lines } = await start({ S0ADMINS: { error: "missing_scope" } });
    expect(await ask("U0ANA", "audit")).toContain("needs the admin role");
    // U0OPS is an operator by name: that still holds while the group cannot be read.
    expect(await ask("U0OPS", "audit")).toContain("you have operator");
    const failures = lines.filter((l) => String(l.msg).startsWith("access: group lookup failed"));
    expect(failures.length).toBeGreaterThanOrEqual(1);
    expect(failures[0]).toMatchObject({ platform: "slack", userId: "U0ANA", code: "platform_error" });
    expect(String(failures[0]?.reason)).toContain("missing_scope");
    expect(JSON.stringify(lines)).not.toContain(botToken);
  });
});

describe("Entra ID groups grant roles in Teams (signed activities, Graph on loopback)", () => {
  const adminGroup = "3f2b8c1d-5e6a-4b7c-9d8e-0f1a2b3c4d5e";
  const megan = "6e8f4b2a-1c3d-4e5f-9a0b-7c6d5e4f3a21";
  let teams: TestTeams;

  async function start(graphAnswer: (req: Recorded) => { status: number; body: unknown }) {
    const graph = await stubServer((req) => {
      if (req.path.endsWith("/oauth2/v2.0/token")) {
        return { status: 200, body: { token_type: "Bearer", expires_in: 3599, access_token: "graph-app-token" } };
      }
      return graphAnswer(req);
    });
    closers.push(graph.close);
    const { logger, lines } = capturedLogger();
    const secretOp = defineCommand({
      name: "secretop",
      summary: "Admins only (test).",
      usage: "secretop",
      help: "test",
      access: "admin",
      args: z.object({}),
      input: () => ({}),
      run: () => reply("secret op done").text("secret op done").build(),
    });
    const access = {
      admins: [{ platform: "teams" as const, group: adminGroup }],
      operators: [],
      viewers: [],
      allowedChannels: [],
      unknownUsers: "viewer" as const,
      groupCacheTtl: 300_000,
      groupLookupTimeout: 2_500,
    };
    const groups = createGroupResolver({ section: access, logger });
    const router = createRouter(
      [secretOp],
      { now: () => new Date(), access: createAccessPolicy(access), groups },
      silentLogger(),
    );
    teams = await startTestTeams({
      auth: true,
      router,
      settings: { tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47", graph: { loginUrl: graph.url, url: graph.url } },
    });
    closers.push(() => teams.close());
    if (teams.adapter.groups) groups.attach(teams.adapter.groups);
    const ask = async () => {
      const before = teams.connector.calls.length;
      const res = await teams.post({ ...fixture("personal-message", teams.connector.url), text: "secretop" });
      expect(res.status).toBe(200);
      await waitFor(() => teams.connector.calls.length > before);
      return JSON.stringify(cardOf(teams.connector.calls.at(-1)?.body ?? {}));
    };
    return { ask, graph, lines };
  }

  it("asks Graph with an app-only token and gives a member of the admin group the admin role", async () => {
    const { ask, graph } = await start((req) => {
      const asked = (JSON.parse(req.body) as { groupIds: string[] }).groupIds;
      return { status: 200, body: { value: asked.filter((g) => g === adminGroup) } };
    });
    expect(await ask()).toContain("secret op done");
    const token = graph.requests.find((r) => r.path.endsWith("/oauth2/v2.0/token"));
    expect(token?.path).toBe("/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token");
    expect(new URLSearchParams(token?.body).get("grant_type")).toBe("client_credentials");
    const check = graph.requests.find((r) => r.path.includes("checkMemberGroups"));
    expect(check?.path).toBe(`/v1.0/users/${megan}/checkMemberGroups`);
    expect(check?.headers.authorization).toBe("Bearer graph-app-token");
    expect(JSON.parse(check?.body ?? "{}")).toEqual({ groupIds: [adminGroup] });
  });

  it("refuses the admin command when Graph refuses the lookup, and logs the Graph error code only", async () => {
    const { ask, lines } = await start(() => ({
      status: 403,
      body: {
        error: { code: "Authorization_RequestDenied", message: "Insufficient privileges to complete the operation." },
      },
    }));
    expect(await ask()).toContain("needs the admin role");
    const failure = lines.find((l) => String(l.msg).startsWith("access: group lookup failed"));
    expect(failure).toMatchObject({ platform: "teams", userId: megan });
    expect(String(failure?.reason)).toContain("HTTP 403 Authorization_RequestDenied");
    expect(JSON.stringify(lines)).not.toContain("graph-app-token");
    expect(JSON.stringify(lines)).not.toContain("not-used-in-tests");
  });
});

describe("group resolver", () => {
  const section = {
    admins: [{ platform: "slack" as const, group: "S0ADMINS" }],
    operators: [],
    viewers: [],
    allowedChannels: [],
    unknownUsers: "viewer" as const,
    groupCacheTtl: 60_000,
    groupLookupTimeout: 2_500,
  };

  function countingDirectory(members: string[]): GroupDirectory & { calls: number } {
    const directory = {
      platform: "slack" as const,
      kind: "member-lists" as const,
      calls: 0,
      async membersOf() {
        directory.calls += 1;
        return members;
      },
    };
    return directory;
  }

  it("asks again only after the cache's TTL (fake clock)", async () => {
    let clock = 1_000_000;
    const resolver = createGroupResolver({ section, logger: silentLogger(), now: () => clock });
    const directory = countingDirectory(["U0ANA"]);
    resolver.attach(directory);
    const ana = { platform: "slack" as const, userId: "U0ANA" };
    expect(await resolver.resolve(ana)).toMatchObject({ groups: ["S0ADMINS"] });
    clock += 59_000;
    // A fresh answer is given at once, without a promise.
    expect(resolver.resolve(ana)).toMatchObject({ groups: ["S0ADMINS"] });
    expect(directory.calls).toBe(1);
    clock += 2_000;
    expect(resolver.resolve(ana)).toBeInstanceOf(Promise);
    await resolver.resolve(ana);
    expect(directory.calls).toBe(2);
  });

  it("never looks anything up when the policy names no group of the caller's platform", () => {
    const resolver = createGroupResolver({
      section: { ...section, admins: [{ platform: "slack", user: "U0ANA" }] },
      logger: silentLogger(),
    });
    const directory = countingDirectory(["U0ANA"]);
    resolver.attach(directory);
    const caller = { platform: "slack" as const, userId: "U0ANA" };
    expect(resolver.resolve(caller)).toBe(caller);
    expect(resolver.resolve({ platform: "shell", userId: "me" })).toEqual({ platform: "shell", userId: "me" });
    expect(directory.calls).toBe(0);
  });
});

describe("scanner-bot config check names what each configured group needs", () => {
  it("lists the Slack scope and the Graph permission, and says what is missing for Teams groups", () => {
    const dir = mkdtempSync(join(tmpdir(), "groups-config-"));
    const file = join(dir, "bot.yml");
    writeFileSync(
      file,
      [
        "clusters: []",
        "slack:",
        "  botToken: env:SLACK_BOT_TOKEN",
        "  signingSecret: env:SLACK_SIGNING_SECRET",
        "teams:",
        "  appId: 5f1c9a2e-7b3d-4c8e-a6f0-2d4b8e1c3a7f",
        "  appPassword: env:TEAMS_APP_PASSWORD",
        "access:",
        "  admins:",
        "    - { platform: slack, group: S0ADMINS }",
        "  operators:",
        "    - { platform: teams, group: 3f2b8c1d-5e6a-4b7c-9d8e-0f1a2b3c4d5e }",
        "",
      ].join("\n"),
    );
    const result = spawnSync(process.execPath, ["--import", "tsx", "src/cli.ts", "config", "check", file], {
      cwd: new URL("../..", import.meta.url).pathname,
      env: {
        PATH: process.env.PATH ?? "",
        SLACK_BOT_TOKEN: "xoxb-config-check",
        SLACK_SIGNING_SECRET: "config-check-signing-secret",
        TEAMS_APP_PASSWORD: "config-check-app-password",
      },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/Slack user group S0ADMINS \(admins\).*usergroups:read/);
    expect(result.stdout).toMatch(
      /Entra ID group 3f2b8c1d-5e6a-4b7c-9d8e-0f1a2b3c4d5e \(operators\).*GroupMember\.Read\.All/,
    );
    expect(result.stdout).toContain("teams.tenantId");
    expect(result.stdout).not.toContain("config-check-app-password");
  });
});
