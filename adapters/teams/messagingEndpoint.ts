import type { IncomingMessage, ServerResponse } from "node:http";
import type { Response as BotResponse, CloudAdapter, TurnContext } from "botbuilder";
import type { Logger } from "../../src/foundation/logger.js";

/**
 * `POST /api/messages` on plain node:http: reads and parses the body within a
 * size limit, hands it to `CloudAdapter.process` (which checks the Bot
 * Framework token before any turn logic runs) and writes what it answered.
 * Restify or Express would only add a body parser here.
 */
export interface MessagingEndpointOptions {
  adapter: CloudAdapter;
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

const tokenErrorNames = new Set(["JsonWebTokenError", "TokenExpiredError", "NotBeforeError", "AuthenticationError"]);

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

    // CloudAdapter speaks the Express/Restify response shape; collect its answer, then write it once.
    let status = 200;
    let answer: unknown;
    const shim: BotResponse = {
      socket: req.socket,
      status: (code: number) => {
        status = code;
      },
      header: (name: string, value: unknown) => {
        if (!res.headersSent) res.setHeader(name, String(value));
      },
      send: (payload: unknown) => {
        answer = payload;
      },
      end: () => undefined,
    };
    try {
      await adapter.process(
        { body: body as Record<string, unknown>, headers: req.headers, method: "POST" },
        shim,
        logic,
      );
    } catch (err) {
      // A token signed by another key escapes as jsonwebtoken's error: still the caller's fault, so 401.
      const name = err instanceof Error ? err.name : "";
      if (tokenErrorNames.has(name)) {
        logger.warn({ reason: (err as Error).message }, "Teams request rejected: bad token");
        return sendJson(res, 401, "Unauthorized.");
      }
      logger.error({ err }, "Teams request failed");
      return sendJson(res, 500, "The bot failed to handle this activity.");
    }
    if (status === 401) {
      logger.warn({ status }, "Teams request rejected: missing or invalid token");
      return sendJson(res, 401, "Unauthorized.");
    }
    // Never echo internal error text (CloudAdapter puts the exception message in the body).
    if (status >= 500) {
      logger.error(
        { status, detail: typeof answer === "string" ? answer.slice(0, 500) : undefined },
        "Teams turn failed",
      );
      return sendJson(res, status, "The bot failed to handle this activity.");
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
