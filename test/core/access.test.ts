import { describe, expect, it } from "vitest";
import { z } from "zod";
import { helpCommand } from "../../commands/help.js";
import { createAccessPolicy } from "../../src/access/accessPolicy.js";
import { InMemoryAuditSink } from "../../src/access/audit.js";
import type { Caller } from "../../src/access/caller.js";
import { accessSectionSchema } from "../../src/config/accessSection.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import { reply } from "../../src/reply/reply.js";
import { defineCommand } from "../../src/routing/command.js";
import { createRouter } from "../../src/routing/router.js";

const section = accessSectionSchema.parse({
  admins: [{ platform: "slack", user: "UADMIN" }],
  operators: [
    { platform: "slack", group: "SOPS" },
    { platform: "teams", user: "aad-operator" },
  ],
  allowedChannels: [{ platform: "slack", id: "COPS" }],
});

const slack = (userId: string, conversationId: string, groups: string[] = []): Caller => ({
  platform: "slack",
  userId,
  conversationId,
  groups,
});

let runs = 0;
const restart = defineCommand({
  name: "restart",
  summary: "Restart a node's scanner service.",
  usage: "restart <node>",
  help: "test",
  access: "admin",
  args: z.object({ node: z.string() }),
  input: (line) => ({ node: line.positionals[0] }),
  run: ({ node }) => {
    runs++;
    return reply(`restarted ${node}`).build();
  },
});
const status = defineCommand({
  name: "status",
  summary: "Status.",
  usage: "status",
  help: "test",
  args: z.object({}),
  input: () => ({}),
  run: () => reply("all good").build(),
});
const diagnose = defineCommand({
  name: "diagnose",
  summary: "Diagnose.",
  usage: "diagnose",
  help: "test",
  access: "operator",
  args: z.object({}),
  input: () => ({}),
  run: () => reply("diagnosed").build(),
});

describe("access policy", () => {
  const policy = createAccessPolicy(section);

  it("gives named people their role anywhere", () => {
    expect(policy.roleOf(slack("UADMIN", "CANY"))).toBe("admin");
    expect(policy.roleOf(slack("U1", "CANY", ["SOPS"]))).toBe("operator");
    expect(policy.roleOf({ platform: "teams", userId: "aad-operator" })).toBe("operator");
  });

  it("gives unknown people read-only in allowed channels and nothing elsewhere", () => {
    expect(policy.roleOf(slack("USTRANGER", "COPS"))).toBe("viewer");
    expect(policy.roleOf(slack("USTRANGER", "CRANDOM"))).toBe("none");
  });

  it("does not confuse platforms: a Slack id listed for Slack is not a Teams id", () => {
    expect(policy.roleOf({ platform: "teams", userId: "UADMIN", conversationId: "x" })).toBe("none");
  });

  it("trusts the local console", () => {
    expect(policy.roleOf({ platform: "shell", userId: "anyone" })).toBe("admin");
  });

  it("without an access section: operators for everyone, admins nobody", () => {
    const open = createAccessPolicy(undefined);
    expect(open.roleOf(slack("U1", "C1"))).toBe("operator");
    const decision = open.decide(slack("U1", "C1"), "admin", "restart");
    expect(decision.allowed).toBe(false);
    if (!decision.allowed) expect(decision.grantedBy).toContain("No admins are configured");
  });

  it("rejects a principal with both user and group", () => {
    const bad = accessSectionSchema.safeParse({ admins: [{ platform: "slack", user: "U", group: "S" }] });
    expect(bad.success).toBe(false);
  });
});

describe("router enforces access and audits", () => {
  const auditSink = new InMemoryAuditSink();
  const router = createRouter(
    [helpCommand, restart, status, diagnose],
    { now: () => new Date("2026-11-25T10:00:00Z"), access: createAccessPolicy(section), audit: auditSink },
    silentLogger(),
  );

  it("denies with the reason and who can grant it, and runs nothing", async () => {
    runs = 0;
    const r = await router.dispatch("/scanner restart node-1", slack("U1", "COPS", ["SOPS"])).result;
    expect(runs).toBe(0);
    expect(r.status).toBe("error");
    const text = renderPlainText(r);
    expect(text).toContain("`restart` needs the admin role; you have operator");
    expect(text).toContain("Slack user UADMIN");
    expect(auditSink.entries.at(-1)).toMatchObject({ command: "restart", outcome: "denied", userId: "U1" });
  });

  it("lets the admin run it and records the outcome", async () => {
    runs = 0;
    const r = await router.dispatch("restart node-1", slack("UADMIN", "COPS")).result;
    expect(r.text).toBe("restarted node-1");
    expect(runs).toBe(1);
    expect(auditSink.entries.at(-1)).toMatchObject({ command: "restart", outcome: "ok", line: "restart node-1" });
  });

  it("checks button clicks the same way (they arrive as command lines)", async () => {
    const r = await router.dispatch("diagnose", slack("USTRANGER", "COPS")).result;
    expect(renderPlainText(r)).toContain("needs the operator role");
    expect((await router.dispatch("status", slack("USTRANGER", "COPS")).result).text).toBe("all good");
  });

  it("answers strangers outside allowed channels with nothing but the reason", async () => {
    const r = await router.dispatch("status", slack("USTRANGER", "CRANDOM")).result;
    expect(renderPlainText(r)).toContain("I don't take commands from you in this conversation");
    expect((await router.dispatch("help", slack("USTRANGER", "CRANDOM")).result).status).toBeUndefined();
  });

  it("audits rejected input and caps what it keeps", async () => {
    await router.dispatch(`nonsense ${"x".repeat(5000)}`, slack("UADMIN", "COPS")).result;
    const last = auditSink.entries.at(-1);
    expect(last?.outcome).toBe("rejected");
    expect(last?.line.length).toBeLessThanOrEqual(501);
  });
});
