import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a stand-in answers to one post: its status, body and headers. */
export interface ScriptedAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** A request the stand-in accepted (2xx) or refused, with its parsed body. */
export interface Received {
  path: string;
  body: unknown;
  status: number;
}

type Judge = (body: unknown) => ScriptedAnswer;

/**
 * A loopback stand-in for a webhook service: it checks each post the way the real service does (`judge`),
 * and answers from `script` first (429s, 5xx) when the test queued answers there.
 */
export class WebhookStandIn {
  readonly received: Received[] = [];
  readonly script: ScriptedAnswer[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(judge: Judge, path: string): Promise<WebhookStandIn> {
    let standIn: WebhookStandIn | undefined;
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          body = undefined;
        }
        const answer =
          standIn?.script.shift() ?? (body === undefined ? { status: 400, body: "invalid_payload" } : judge(body));
        standIn?.received.push({ path: req.url ?? "", body, status: answer.status });
        res.writeHead(answer.status, { "content-type": "text/plain", ...answer.headers });
        res.end(answer.body ?? "");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    standIn = new WebhookStandIn(server, `http://127.0.0.1:${port}${path}`);
    return standIn;
  }

  /** Bodies the stand-in accepted, in order. */
  accepted(): unknown[] {
    return this.received.filter((r) => r.status < 300).map((r) => r.body);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Slack's incoming webhook: `text` and/or `blocks` (at most 50, each with a `type`); anything else is
 * `400 invalid_payload` / `no_text`. It answers `200 ok`.
 */
export const slackWebhookJudge: Judge = (body) => {
  if (!isObject(body)) return { status: 400, body: "invalid_payload" };
  const { text, blocks } = body;
  if (typeof text !== "string" || text.length === 0) return { status: 400, body: "no_text" };
  if (blocks !== undefined) {
    if (!Array.isArray(blocks) || blocks.length > 50) return { status: 400, body: "invalid_blocks" };
    if (!blocks.every((b) => isObject(b) && typeof b.type === "string")) return { status: 400, body: "invalid_blocks" };
    if (blocks.some((b) => isObject(b) && b.type === "actions")) {
      // Buttons would render but call back to no one; the product must not send them.
      return { status: 400, body: "test_stand_in: buttons sent to a webhook" };
    }
  }
  return { status: 200, body: "ok" };
};

/**
 * A Teams Workflows "post to a channel when a webhook request is received" trigger: the message envelope
 * with exactly one Adaptive Card attachment. A legacy MessageCard (`@type: MessageCard`) is refused with 400,
 * as Workflows does. It answers `202 Accepted`.
 */
export const teamsWorkflowJudge: Judge = (body) => {
  if (!isObject(body)) return { status: 400, body: '{"error":{"code":"InvalidRequestContent"}}' };
  if (body["@type"] === "MessageCard") return { status: 400, body: '{"error":{"code":"MessageCardNotSupported"}}' };
  const attachments = body.attachments;
  if (body.type !== "message" || !Array.isArray(attachments) || attachments.length !== 1) {
    return { status: 400, body: '{"error":{"code":"InvalidRequestContent"}}' };
  }
  const [attachment] = attachments;
  if (!isObject(attachment) || attachment.contentType !== "application/vnd.microsoft.card.adaptive") {
    return { status: 400, body: '{"error":{"code":"InvalidAttachment"}}' };
  }
  const card = attachment.content;
  if (!isObject(card) || card.type !== "AdaptiveCard" || !Array.isArray(card.body) || card.body.length === 0) {
    return { status: 400, body: '{"error":{"code":"InvalidCard"}}' };
  }
  if (JSON.stringify(card).includes('"Action.Submit"')) {
    return { status: 400, body: "test_stand_in: a submit button sent to a workflow" };
  }
  return { status: 202, body: "" };
};

/** A bot config whose only channels are two webhooks (URLs from OPS_SLACK_HOOK and OPS_TEAMS_FLOW); `extraChannel` adds YAML. */
export function webhookOnlyConfigText(extraChannel = ""): string {
  return `
clusters:
  - name: contoso-prod
    channels:
      - platform: slack-webhook
        url: env:OPS_SLACK_HOOK
        name: ops-alerts
      - platform: teams-workflow
        url: env:OPS_TEAMS_FLOW${extraChannel}
    nodes:
      - name: scan-01
        url: http://127.0.0.1:9/
        secret: env:NODE_SECRET
`;
}
