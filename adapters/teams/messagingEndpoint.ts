import type { IncomingMessage, ServerResponse } from "node:http";
import { type Activity, CloudAdapter, type InvokeResponse, type TurnContext } from "botbuilder";
import { validateAndFixActivity } from "botbuilder/lib/activityValidator.js";
import type { AuthenticateRequestResult, BotFrameworkAuthentication } from "botframework-connector";
import { z } from "zod";
import type { Logger } from "../../src/foundation/logger.js";

/**
 * `POST /api/messages` on plain node:http: reads and parses the body within a
 * size limit, checks the Bot Framework token, checks the activity's shape,
 * then runs the turn with `CloudAdapter.processActivity` and writes what it
 * answered. Not `CloudAdapter.process`: it prints every failure, stack and all,
 * with console.error (outside the structured log) and answers 500 when the
 * key metadata cannot be fetched.
 */
/** CloudAdapter with its turn runner opened up, so the endpoint can authenticate first and answer itself. */
export class EndpointAdapter extends CloudAdapter {
  /** Runs one already authenticated activity through the middleware and `logic`; the invoke response, if any. */
  runAuthenticated(
    authenticated: AuthenticateRequestResult,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    return this.processActivity(authenticated, activity, logic);
  }
}

export interface MessagingEndpointOptions {
  adapter: EndpointAdapter;
  /** The adapter's authentication: checks the token before anything of the activity is used. */
  authentication: BotFrameworkAuthentication;
  logic: (context: TurnContext) => Promise<void>;
  path: string;
  maxBodyBytes: number;
  logger: Logger;
}

class BodyTooLarge extends Error {}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop keeping it but let it drain, so the client still reads our 413.
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function sendJson(res: ServerResponse, status: number, body?: unknown): void {
  if (res.headersSent) return;
  if (body === undefined) {
    res.writeHead(status).end();
    return;
  }
  const text = typeof body === "string" ? JSON.stringify({ message: body }) : JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" }).end(text);
}

/**
 * What the turn handler and botbuilder read of every activity without checking: an activity without
 * them (the Emulator-style `{"type":"message"}`) used to end in a TypeError.
 */
const activityShapeSchema = z
  .object({
    type: z.string().min(1),
    serviceUrl: z.url({ protocol: /^https?$/, error: "must be the http(s) URL of the channel's connector" }),
    conversation: z.object({ id: z.string().min(1) }).loose(),
    from: z.object({ id: z.string() }).loose().optional(),
    recipient: z.object({ id: z.string() }).loose().optional(),
    text: z.string().optional(),
  })
  .loose();

/** The first problem of a malformed activity, in words a developer with the Emulator can act on. */
function shapeProblem(error: z.ZodError, body: unknown): string {
  const issue = error.issues[0];
  if (!issue) return "has an unexpected shape";
  const path = issue.path.join(".");
  let value: unknown = body;
  for (const key of issue.path)
    value = typeof value === "object" && value !== null ? Reflect.get(value, key) : undefined;
  return value === undefined ? `has no ${path}` : `${path}: ${issue.message}`;
}

/** A token failure as one log field: the error's own words, never its stack. */
function refusalReason(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split("\n")[0]?.slice(0, 300) ?? "";
}

/** Builds the request listener for the messaging endpoint. */
export function createMessagingEndpoint(
  options: MessagingEndpointOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { adapter, logic, logger } = options;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== options.path) return sendJson(res, 404, "Not found.");
    if (req.method !== "POST") {
      res.setHeader("allow", "POST");
      return sendJson(res, 405, "Use POST.");
    }
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > options.maxBodyBytes) {
      res.setHeader("connection", "close");
      return sendJson(res, 413, "The activity is too large.");
    }
    let body: unknown;
    try {
      body = JSON.parse((await readBody(req, options.maxBodyBytes)).toString("utf8"));
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        res.setHeader("connection", "close");
        return sendJson(res, 413, "The activity is too large.");
      }
      return sendJson(res, 400, "The body is not a JSON activity.");
    }
    if (typeof body !== "object" || body === null || Array.isArray(body)) {
      return sendJson(res, 400, "The body is not a JSON activity.");
    }

    // The token first: an unsigned request learns nothing about what a well-formed activity looks like.
    const authorization = req.headers.authorization ?? "";
    let authenticated: AuthenticateRequestResult;
    try {
      authenticated = await options.authentication.authenticateRequest(body as Activity, authorization);
    } catch (err) {
      logger.warn({ reason: refusalReason(err) }, "Teams request rejected: the token could not be validated");
      return sendJson(res, 401, "Unauthorized.");
    }
    const shape = activityShapeSchema.safeParse(body);
    if (!shape.success) {
      const problem = shapeProblem(shape.error, body);
      logger.warn({ problem }, "Teams request rejected: malformed activity");
      return sendJson(res, 400, `The activity ${problem}.`);
    }
    let status = 200;
    let answer: unknown;
    try {
      const activity = validateAndFixActivity(body as Activity);
      const invoke = await adapter.runAuthenticated(authenticated, activity, logic);
      status = invoke?.status ?? 200;
      answer = invoke?.body;
    } catch (err) {
      // Failures inside the turn reach onTurnError; what arrives here failed before or after it.
      logger.error({ err }, "Teams turn failed");
      return sendJson(res, 500, "The bot failed to handle this activity.");
    }
    sendJson(res, status, answer);
  }

  return (req, res) => {
    handle(req, res).catch((err: unknown) => {
      logger.error({ err }, "Teams endpoint crashed");
      sendJson(res, 500, "The bot failed to handle this activity.");
    });
  };
}
