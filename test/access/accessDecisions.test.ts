import { describe, expect, it } from "vitest";
import { createAccessPolicy } from "../../src/access/accessPolicy.js";
import type { Caller } from "../../src/access/caller.js";
import { accessSectionSchema } from "../../src/config/accessSection.js";

const slack = (userId: string, extra: Partial<Caller> = {}): Caller => ({
  platform: "slack",
  userId,
  conversationId: "C-OPS",
  ...extra,
});

const policyWith = (section: Record<string, unknown>) => createAccessPolicy(accessSectionSchema.parse(section));

describe("roleOf", () => {
  const policy = policyWith({
    admins: [
      { platform: "slack", user: "U-ADMIN" },
      { platform: "teams", group: "g-admins" },
    ],
    operators: [
      { platform: "slack", user: "U-OP" },
      { platform: "slack", group: "S-OPS" },
    ],
    viewers: [{ platform: "slack", user: "U-VIEW" }],
    allowedChannels: [{ platform: "slack", id: "C-OPS" }],
  });

  it("gives each listed person the highest role they are listed for", () => {
    expect(policy.roleOf(slack("U-ADMIN"))).toBe("admin");
    expect(policy.roleOf(slack("U-OP"))).toBe("operator");
    expect(policy.roleOf(slack("U-VIEW"))).toBe("viewer");
    expect(policy.roleOf(slack("U-VIEW", { groups: ["S-OPS"] }))).toBe("operator");
  });

  it("matches a principal only on its own platform, and a group only for its members", () => {
    expect(policy.roleOf({ platform: "teams", userId: "U-ADMIN", conversationId: "C-OPS" })).toBe("none");
    expect(policy.roleOf({ platform: "teams", userId: "aad-1", groups: ["g-admins"] })).toBe("admin");
    expect(policy.roleOf(slack("U-X", { groups: ["g-admins"] }))).toBe("viewer");
    expect(policy.roleOf(slack("U-X", { groups: [] }))).toBe("viewer");
  });

  it("gives people it does not know unknownUsers in an allowed channel (same platform and id), nothing elsewhere", () => {
    expect(policy.roleOf(slack("U-X"))).toBe("viewer");
    expect(policy.roleOf(slack("U-X", { conversationId: "C-OTHER" }))).toBe("none");
    expect(policy.roleOf({ platform: "teams", userId: "U-X", conversationId: "C-OPS" })).toBe("none");
    const closed = policyWith({ unknownUsers: "none" });
    expect(closed.roleOf(slack("U-X"))).toBe("none");
    expect(policyWith({}).roleOf(slack("U-X", { conversationId: "anywhere" }))).toBe("viewer");
  });

  it("trusts the console and the CLI, and without an access section lets people operate but not administer", () => {
    expect(policy.roleOf({ platform: "shell", userId: "me" })).toBe("admin");
    expect(policy.roleOf({ platform: "cli", userId: "me" })).toBe("admin");
    expect(createAccessPolicy(undefined).roleOf(slack("U-X"))).toBe("operator");
  });
});

describe("decide", () => {
  it("allows what the role covers and says who can grant the rest", () => {
    const policy = policyWith({
      admins: [1, 2, 3, 4, 5, 6].map((n) => ({ platform: "slack", user: `U-A${n}` })),
      operators: [{ platform: "teams", group: "g-ops" }],
    });
    expect(policy.decide(slack("U-A1"), "admin", "restart")).toEqual({ allowed: true, role: "admin" });
    expect(policy.decide(slack("U-X"), "anyone", "help")).toEqual({ allowed: true, role: "viewer" });
    expect(policy.decide(slack("U-X"), "operator", "scan")).toEqual({
      allowed: false,
      role: "viewer",
      reason: "`scan` needs the operator role; you have viewer.",
      grantedBy:
        "Ask an admin (Slack user U-A1, Slack user U-A2, Slack user U-A3, Slack user U-A4, Slack user U-A5) to add you to `access.operators` in the bot's config.",
    });
  });

  it("tells someone outside the allowed channels why nothing runs, and who can change it when nobody is admin", () => {
    const policy = policyWith({ allowedChannels: [{ platform: "slack", id: "C-OPS" }] });
    expect(policy.decide(slack("U-X", { conversationId: "C-RANDOM" }), "anyone", "help")).toMatchObject({
      allowed: true,
    });
    expect(policy.decide(slack("U-X", { conversationId: "C-RANDOM" }), "viewer", "status")).toEqual({
      allowed: false,
      role: "none",
      reason:
        "I don't take commands from you in this conversation: `status` needs the viewer role, and this channel isn't one where the bot answers people it doesn't know.",
      grantedBy: "No admins are configured: whoever runs the bot can add you to `access.viewers` in its config.",
    });
    const teamsGroupAdmin = policyWith({ admins: [{ platform: "teams", group: "g-1" }] });
    const denied = teamsGroupAdmin.decide(slack("U-X"), "admin", "restart");
    expect(denied.allowed === false && denied.grantedBy).toBe(
      "Ask an admin (Teams group g-1) to add you to `access.admins` in the bot's config.",
    );
  });
});

describe("roles outside the allowed channels", () => {
  const policy = policyWith({
    viewers: [{ platform: "slack", user: "U-VIEW" }],
    allowedChannels: [
      { platform: "slack", id: "C-OPS" },
      { platform: "slack", id: "C-SEC" },
    ],
    unknownUsers: "viewer",
  });

  it("lets people it does not know read in every allowed channel, not only the first", () => {
    expect(policy.roleOf(slack("U-X", { conversationId: "C-OPS" }))).toBe("viewer");
    expect(policy.roleOf(slack("U-X", { conversationId: "C-SEC" }))).toBe("viewer");
    expect(policy.roleOf(slack("U-X", { conversationId: "C-RANDOM" }))).toBe("none");
  });

  it("keeps a named viewer a viewer in any channel", () => {
    expect(policy.roleOf(slack("U-VIEW", { conversationId: "C-RANDOM" }))).toBe("viewer");
    expect(policy.decide(slack("U-VIEW", { conversationId: "C-RANDOM" }), "viewer", "status").allowed).toBe(true);
  });
});
