import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import type { z } from "zod";
import { BotError } from "../src/foundation/botError.js";
import { type Logger, silentLogger } from "../src/foundation/logger.js";
import {
  type ActionRequest,
  type ActionResult,
  actionRequestSchema,
  actionResultSchema,
  agentPaths,
  diagnosticsSchema,
  errorsQuerySchema,
  errorsSchema,
  type GuardedAction,
  healthSchema,
  reportDigestSchema,
  reportQuerySchema,
  scanStatusSchema,
} from "../src/wire/agentApi.js";
import { ReplayGuard, signatureWindowSeconds, verifyRequest } from "../src/wire/requestSigning.js";
import { ActionJournal } from "./actionJournal.js";
import { ActionLedger } from "./actionLedger.js";
import type { ConnectionLimits } from "./agentConfig.js";
import type { ScannerBackend } from "./scannerBackend.js";

export interface AgentServerOptions {
  backend: ScannerBackend;
  /** Shared secrets; more than one during a rotation. Never logged. */
  secrets: string[];
  /** Bind address; loopback unless the config says otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Guarded actions this node allows; everything else answers 403. */
  actionsEnabled: GuardedAction[];
  logger?: Logger;
  now?: () => Date;
  /** Largest request body accepted; bigger ones get 413 before any signature check. */
  maxBodyBytes?: number;
  /**
   * The action journal file (see actionJournal.ts): with it, an action request runs at most once across
   * restarts of the agent. Without it (tests of other things), only within one run.
   */
  journalPath?: string;
  /** How long a client may take to send its request, and how many may be connected at once. */
  limits?: Partial<ConnectionLimits>;
}

export interface RunningAgentServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const defaultMaxBodyBytes = 16 * 1024;
const defaultLimits: ConnectionLimits = { headersTimeout: 15_000, requestTimeout: 30_000, maxConnections: 64 };

/**
 * Node checks request deadlines only every `connectionsCheckingInterval` (30 s by default), so a 15 s
 * header timeout used to drop a slow client after about 45 s. Checking four times per timeout drops it
 * within a quarter of the timeout after it expires.
 */
function checkingInterval(limits: ConnectionLimits): number {
  return Math.max(10, Math.min(1000, Math.floor(Math.min(limits.headersTimeout, limits.requestTimeout) / 4)));
}

/** An answer the server is about to send: status code plus a JSON body. */
interface Answer {
  status: number;
  body: unknown;
}

const errorAnswer = (status: number, code: string, message: string): Answer => ({
  status,
  body: { error: { code, message } },
});

const unauthorizedMessages = {
  missing: "The request is not signed (x-scanner-timestamp, x-scanner-nonce and x-scanner-signature are required).",
  stale: "The request's timestamp is outside the 5-minute window; check the clocks of the bot and this node.",
  forged: "The request's signature does not match any of this agent's secrets.",
  replayed: "This request was already received once; every request needs a fresh nonce.",
} as const;

/** Signed at this second or later; anything earlier could be a replay the agent no longer remembers. */
interface Signed {
  nonce: string;
  timestamp: number;
}

class BodyTooLarge extends Error {}

/** Reads the raw body, refusing to buffer more than `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? "0");
    if (Number.isFinite(declared) && declared > limit) {
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new BodyTooLarge());
        req.pause();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/**
 * Starts the node agent's HTTP(S) API. Every request must carry a valid
 * signature (see requestSigning.ts) before the backend is touched; every
 * answer is checked against its schema before it is sent.
 */
export async function startAgentServer(options: AgentServerOptions): Promise<RunningAgentServer> {
  if (options.secrets.length === 0 || options.secrets.some((s) => s.length === 0)) {
    throw new Error("The agent needs at least one non-empty shared secret.");
  }
  const backend = options.backend;
  const logger = options.logger ?? silentLogger();
  const now = options.now ?? (() => new Date());
  const maxBodyBytes = options.maxBodyBytes ?? defaultMaxBodyBytes;
  const enabled = new Set<GuardedAction>(options.actionsEnabled);
  const guard = new ReplayGuard();
  const ledger = new ActionLedger<Answer>();
  const journal = options.journalPath ? await ActionJournal.open(options.journalPath, { now, logger }) : undefined;
  const startSeconds = Math.floor(now().getTime() / 1000);
  // Requests the previous run accepted stay refused as replays for the rest of their window.
  for (const nonce of journal?.liveNonces() ?? []) guard.remember(nonce, startSeconds);

  /** Runs a probe and checks its answer; a throw or a bad shape never reaches the wire as such. */
  async function probe<T extends z.ZodType>(name: string, schema: T, run: () => Promise<unknown>): Promise<Answer> {
    let value: unknown;
    try {
      value = await run();
    } catch (err) {
      logger.error({ err, probe: name }, "probe failed");
      // BotErrors carry a message written to be shown; anything else could leak paths or stacks.
      const message =
        err instanceof BotError
          ? err.userMessage
          : `The ${name} probe failed on this node; the agent log has the details.`;
      return errorAnswer(500, "probe_failed", message);
    }
    return validated(name, schema, value);
  }

  function validated(name: string, schema: z.ZodType, value: unknown): Answer {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      logger.error({ probe: name, issues: parsed.error.issues }, "backend answer does not match the agent API");
      return errorAnswer(
        500,
        "invalid_output",
        `The agent produced invalid data for ${name}; the agent log has the details.`,
      );
    }
    return { status: 200, body: parsed.data };
  }

  /** What a previous run of the agent did under this requestId, as the answer to a retry; undefined if nothing. */
  function earlierAnswer(request: ActionRequest): Answer | undefined {
    const earlier = journal?.earlier(request.requestId);
    if (!earlier) return undefined;
    if (earlier.action !== request.action) return conflict(request, earlier.action);
    if (earlier.answer) return { status: 200, body: { ...(earlier.answer.body as ActionResult), replayed: true } };
    return errorAnswer(
      409,
      "outcome_unknown",
      `The agent stopped while ${request.action} (requestId ${request.requestId}) was running or had just run, so its outcome is unknown and it will not run again under this requestId; check the node, then send a new request if it is still needed.`,
    );
  }

  const conflict = (request: ActionRequest, previousAction: GuardedAction): Answer =>
    errorAnswer(
      409,
      "conflict",
      `requestId ${request.requestId} was already used for ${previousAction}; use a new requestId.`,
    );

  async function runAction(request: ActionRequest, signed: Signed): Promise<Answer> {
    if (!enabled.has(request.action)) {
      return errorAnswer(
        403,
        "forbidden",
        `The action ${request.action} is not enabled on this node (agent config: actions.${request.action}).`,
      );
    }
    if (journal?.notBefore !== undefined && signed.timestamp < journal.notBefore) {
      return errorAnswer(
        401,
        "unauthorized",
        "This action request was signed before the agent restarted without its action journal, so it could be a replay; send a new request.",
      );
    }
    const earlier = earlierAnswer(request);
    if (earlier) return earlier;
    const outcome = ledger.run(
      request,
      async () => {
        try {
          // Written to disk before the action runs: a crash from here on never lets this request run again.
          await journal?.begin(request, signed.nonce, signed.timestamp + signatureWindowSeconds + 1);
        } catch (err) {
          logger.error({ err, action: request.action, requestId: request.requestId }, "action not run");
          return errorAnswer(
            503,
            "journal_unavailable",
            `The agent could not record ${request.action} in its action journal, so it did not run it; the agent log has the details.`,
          );
        }
        logger.info({ action: request.action, requestId: request.requestId }, "running a guarded action");
        const answer = await runBackendAction(request);
        await journal?.finish(request.requestId, answer).catch((err: unknown) => {
          // The journal still says "running": a retry after a restart gets "outcome unknown", never a second run.
          logger.error({ err, requestId: request.requestId }, "could not record an action's outcome");
        });
        return answer;
      },
      // A 500 means we do not know what happened; a retry with the same requestId may try again.
      (answer) => answer.status !== 200,
    );
    if (outcome.kind === "conflict") return conflict(request, outcome.previousAction);
    const answer = await outcome.result;
    if (outcome.kind === "replay" && answer.status === 200) {
      return { status: 200, body: { ...(answer.body as ActionResult), replayed: true } };
    }
    return answer;
  }

  async function runBackendAction(request: ActionRequest): Promise<Answer> {
    try {
      const result = await backend.runAction(request);
      // Validated before it is remembered, so a replay answers exactly what the first caller got.
      return validated(request.action, actionResultSchema, {
        ...result,
        requestId: request.requestId,
        replayed: false,
      });
    } catch (err) {
      logger.error({ err, action: request.action, requestId: request.requestId }, "action failed");
      return errorAnswer(
        500,
        "probe_failed",
        `The ${request.action} action failed on this node; the agent log has the details.`,
      );
    }
  }

  async function route(method: string, url: URL, body: Buffer, signed: Signed): Promise<Answer> {
    const reads: Record<string, () => Promise<Answer>> = {
      [agentPaths.health]: () =>
        probe("health", healthSchema, async () => ({ ...(await backend.health()), actionsEnabled: [...enabled] })),
      [agentPaths.status]: () => probe("status", scanStatusSchema, () => backend.status()),
      [agentPaths.diagnostics]: () => probe("diagnostics", diagnosticsSchema, () => backend.diagnostics()),
      [agentPaths.errors]: async () => {
        const query = errorsQuerySchema.safeParse({ count: url.searchParams.get("count") ?? undefined });
        if (!query.success) return errorAnswer(400, "bad_request", "count must be a whole number from 1 to 500.");
        return probe("errors", errorsSchema, () => backend.errors(query.data));
      },
      [agentPaths.report]: async () => {
        const query = reportQuerySchema.safeParse({
          cycle: url.searchParams.get("cycle") ?? undefined,
          parts: url.searchParams.get("parts") ?? undefined,
        });
        if (!query.success) {
          // Name only the parameter that is wrong: a caller fixes what it is told.
          const wrong = new Set(query.error.issues.map((issue) => String(issue.path[0])));
          const said = [
            ...(wrong.has("cycle") ? ["cycle must be last or previous"] : []),
            ...(wrong.has("parts") ? ["parts must be all or summary"] : []),
          ];
          return errorAnswer(400, "bad_request", `${said.join("; ") || "cycle must be last or previous"}.`);
        }
        return probe("report", reportDigestSchema, () => backend.report(query.data));
      },
    };
    const read = reads[url.pathname];
    if (read) {
      if (method !== "GET") return errorAnswer(405, "method_not_allowed", `Use GET for ${url.pathname}.`);
      return read();
    }
    if (url.pathname === agentPaths.action) {
      if (method !== "POST") return errorAnswer(405, "method_not_allowed", `Use POST for ${url.pathname}.`);
      let json: unknown;
      try {
        json = JSON.parse(body.toString("utf8"));
      } catch {
        return errorAnswer(400, "bad_request", "The body is not valid JSON.");
      }
      const request = actionRequestSchema.safeParse(json);
      if (!request.success) {
        const problems = request.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
        return errorAnswer(400, "bad_request", `The action request is invalid: ${problems}.`);
      }
      return runAction(request.data, signed);
    }
    return errorAnswer(404, "not_found", `No such agent endpoint: ${url.pathname}.`);
  }

  async function handle(req: IncomingMessage): Promise<Answer> {
    const method = req.method ?? "GET";
    const target = req.url ?? "/";
    let body: Buffer;
    try {
      body = await readBody(req, maxBodyBytes);
    } catch (err) {
      if (err instanceof BodyTooLarge) {
        return errorAnswer(413, "payload_too_large", `The request body is larger than ${maxBodyBytes} bytes.`);
      }
      return errorAnswer(400, "bad_request", "The request body could not be read.");
    }
    const verdict = verifyRequest(options.secrets, { method, path: target, body }, req.headers, guard, now());
    if (!verdict.ok) {
      logger.warn({ method, path: target, reason: verdict.reason, remote: req.socket.remoteAddress }, "refused");
      return errorAnswer(401, "unauthorized", unauthorizedMessages[verdict.reason]);
    }
    let url: URL;
    try {
      url = new URL(target, "http://agent.invalid");
    } catch {
      return errorAnswer(400, "bad_request", "The request path is not a valid URL.");
    }
    return route(method, url, body, verdict);
  }

  function send(res: ServerResponse, answer: Answer, closeAfter: boolean): void {
    const text = JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
      "cache-control": "no-store",
      "x-content-type-options": "nosniff",
      ...(closeAfter ? { connection: "close" } : {}),
    });
    res.end(text);
  }

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    handle(req).then(
      (answer) => {
        const started = Date.now();
        send(res, answer, answer.status === 413);
        logger.debug(
          { method: req.method, path: req.url, status: answer.status, ms: Date.now() - started },
          "answered",
        );
      },
      (err: unknown) => {
        logger.error({ err }, "unexpected agent error");
        if (!res.headersSent) send(res, errorAnswer(500, "internal", "The agent hit an unexpected error."), true);
      },
    );
  };

  const limits: ConnectionLimits = { ...defaultLimits, ...options.limits };
  // Slow clients must not hold sockets forever; probes themselves may take minutes, so only the request is bounded.
  const serverOptions = {
    headersTimeout: limits.headersTimeout,
    requestTimeout: limits.requestTimeout,
    connectionsCheckingInterval: checkingInterval(limits),
  };
  const server: Server = options.tls
    ? createHttpsServer(
        { ...serverOptions, cert: options.tls.cert, key: options.tls.key, minVersion: "TLSv1.2" },
        listener,
      )
    : createHttpServer(serverOptions, listener);
  server.maxConnections = limits.maxConnections;

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  const url = `${options.tls ? "https" : "http"}://${shownHost}:${port}`;
  logger.info({ url, actionsEnabled: [...enabled] }, "scanner agent listening");

  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
