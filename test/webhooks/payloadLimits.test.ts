import { describe, expect, it } from "vitest";
import { slackWebhookPayload } from "../../adapters/slack/webhookPayload.js";
import { workflowPayload } from "../../adapters/teams/workflowPayload.js";
import { notifyOnlyReply } from "../../src/delivery/notifyOnly.js";
import { reply } from "../../src/reply/reply.js";
import { slackWebhookJudge, teamsWorkflowJudge } from "./webhookStandIns.js";

/** A reply far over both services' limits: 600 rows, long text, and buttons. */
function hugeReply() {
  return reply("contoso-prod: 600 nodes report errors", { status: "error" })
    .heading("Errors across contoso-prod")
    .text("x".repeat(5_000))
    .table(
      ["Node", "Error"],
      Array.from({ length: 600 }, (_, i) => ({ cells: [`scan-${i}`, `SqlException ${"detail ".repeat(20)}`] })),
    )
    .actions([
      { label: "Diagnose", command: "diagnose contoso-prod" },
      { label: "Errors", command: "errors contoso-prod" },
    ])
    .build();
}

describe("webhook payloads stay within each service's limits", () => {
  it("Slack: at most 50 blocks and the text limits, shortened with a visible note, no buttons", () => {
    const payload = slackWebhookPayload(notifyOnlyReply(hugeReply()));
    expect(slackWebhookJudge(payload).status).toBe(200);
    expect(payload.blocks.length).toBeLessThanOrEqual(50);
    const json = JSON.stringify(payload);
    expect(json).toMatch(/…|more/);
    expect(json).not.toContain('"type":"actions"');
    expect(json).toContain("Next: `diagnose contoso-prod`, `errors contoso-prod`");
  });

  it("Teams Workflows: one Adaptive Card under 28 KB, shortened with a visible note, no submit buttons", () => {
    const payload = workflowPayload(notifyOnlyReply(hugeReply()));
    expect(teamsWorkflowJudge(payload).status).toBe(202);
    expect(Buffer.byteLength(JSON.stringify(payload))).toBeLessThan(28 * 1024);
    const json = JSON.stringify(payload);
    expect(json).toMatch(/…|more/);
    expect(json).not.toContain("Action.Submit");
  });
});
