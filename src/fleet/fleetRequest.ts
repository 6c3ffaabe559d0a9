import http from "node:http";
import https from "node:https";
import type { z } from "zod";
import { BotError, fail, ok, type Result } from "../foundation/botError.js";
import { redactText } from "../foundation/redaction.js";
import { agentErrorSchema } from "../wire/agentApi.js";
import { signRequest } from "../wire/requestSigning.js";

/**
 * One signed HTTP call from the bot to a node agent, with a timeout, a cap on
 * the reply size, one retry when a kept-alive connection turns out to be dead,
 * and every failure turned into a BotError that says what happened in words
 * an admin can act on.
 */

export interface AgentCall {
  /** The agent's base URL from config (may carry a path prefix behind a reverse proxy). */
  baseUrl: string;
  /** API path and query, e.g. `/v1/errors?count=20`. */
  path: string;
  method: "GET" | "POST";
  body?: string;
  secret: string;
  timeoutMs: number;
  maxReplyBytes: number;
  /** Aborted when the caller gives up (command cancelled, shutdown). */
  signal?: AbortSignal;
}

/** Kept-alive sockets per protocol; a fleet polls the same agents over and over. */
export interface AgentSockets {
  http: http.Agent;
  https: https.Agent;
  close(): void;
}

/** Creates the connection pools a fleet client shares across its calls. */
export function createAgentSockets(maxSocketsPerAgent = 4): AgentSockets {
  const options = { keepAlive: true, maxSockets: maxSocketsPerAgent, keepAliveMsecs: 10_000 };
  const pools = { http: new http.Agent(options), https: new https.Agent(options) };
  return {
    ...pools,
    close() {
      pools.http.destroy();
      pools.https.destroy();
    },
  };
}

/** One call's abort signal; `release()` once the call is over. */
export interface LinkedSignal {
  signal: AbortSignal;
  /** True when the timeout (not a source signal) aborted it. */
  timedOut(): boolean;
  release(): void;
}

/**
 * An AbortSignal for one call: aborted after `timeoutMs`, or when any source
 * aborts. Not AbortSignal.any(): on Node 20 a long-lived source (the fleet's
 * close signal, an adapter's shutdown signal) keeps a reference to every
 * signal derived from it, about 1 KB per call for as long as the bot runs.
 * Here the source listeners are removed in `release()`.
 */
export function linkedSignal(sources: readonly (AbortSignal | undefined)[], timeoutMs?: number): LinkedSignal {
  const controller = new AbortController();
  let timedOut = false;
  const timer =
    timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          timedOut = true;
          controller.abort(new DOMException("The agent call timed out.", "TimeoutError"));
        }, timeoutMs);
  const listening: [AbortSignal, () => void][] = [];
  for (const source of sources) {
    if (!source) continue;
    if (source.aborted) {
      controller.abort(source.reason);
      break;
    }
    const forward = () => controller.abort(source.reason);
    source.addEventListener("abort", forward, { once: true });
    listening.push([source, forward]);
  }
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    release() {
      clearTimeout(timer);
      for (const [source, forward] of listening) source.removeEventListener("abort", forward);
    },
  };
}

type RawReply = { status: number; body: string };

/** Thrown inside a single attempt; turned into a BotError by `classify`. */
class ReplyTooLarge extends Error {}

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

function errnoCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === "string" ? code : undefined;
}

/** A stale kept-alive socket or a restarting agent: worth exactly one more try. */
function isConnectionReset(err: unknown): boolean {
  return errnoCode(err) === "ECONNRESET" || (err instanceof Error && err.message === "socket hang up");
}

function attempt(call: AgentCall, url: URL, sockets: AgentSockets, signal: AbortSignal): Promise<RawReply> {
  const body = call.body ?? "";
  // The agent verifies the path exactly as it receives it, prefix included.
  const path = `${url.pathname}${url.search}`;
  const headers: Record<string, string> = {
    accept: "application/json",
    "user-agent": "scanner-bot",
    ...signRequest(call.secret, { method: call.method, path, body }),
  };
  if (call.method === "POST") {
    headers["content-type"] = "application/json";
    headers["content-length"] = String(Buffer.byteLength(body));
  }
  const isHttps = url.protocol === "https:";
  return new Promise<RawReply>((resolve, reject) => {
    const req = (isHttps ? https : http).request(
      url,
      { method: call.method, headers, agent: isHttps ? sockets.https : sockets.http, signal },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          if (size > call.maxReplyBytes) return;
          size += chunk.length;
          if (size > call.maxReplyBytes) {
            // Reject first: destroying the socket also ends the response, which must not count as a reply.
            reject(new ReplyTooLarge());
            res.destroy();
            return;
          }
          chunks.push(chunk);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

function classify(err: unknown, call: AgentCall, url: URL, timedOut: boolean): BotError {
  const where = url.host;
  if (err instanceof ReplyTooLarge) {
    return new BotError(
      "agent_invalid_reply",
      `agent sent invalid data (reply larger than ${Math.round(call.maxReplyBytes / 1024)} KB)`,
      { cause: err },
    );
  }
  if (timedOut) return new BotError("agent_timeout", `unreachable (timeout after ${seconds(call.timeoutMs)})`);
  if (call.signal?.aborted) return new BotError("agent_unreachable", "not asked (the request was cancelled)");
  const code = errnoCode(err);
  switch (code) {
    case "ECONNREFUSED":
      return new BotError("agent_refused", `refused (nothing listens at ${where}: is the agent service running?)`, {
        cause: err,
      });
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new BotError("agent_unreachable", `unreachable (host name ${url.hostname} not found)`, { cause: err });
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return new BotError("agent_unreachable", `unreachable (no route to ${where})`, { cause: err });
    case "ECONNRESET":
      return new BotError("agent_unreachable", `unreachable (connection to ${where} was reset twice)`, { cause: err });
  }
  if (isConnectionReset(err)) {
    return new BotError("agent_unreachable", `unreachable (${where} closed the connection twice)`, { cause: err });
  }
  if (code && /CERT|SSL|TLS/i.test(code)) {
    return new BotError("agent_unreachable", `unreachable (TLS problem: ${code})`, { cause: err });
  }
  return new BotError(
    "agent_unreachable",
    `unreachable (${code ?? (err instanceof Error ? err.message : "network error")})`,
    {
      cause: err,
    },
  );
}

function httpFailure(reply: RawReply): BotError {
  let agentMessage: string | undefined;
  try {
    const parsed = agentErrorSchema.safeParse(JSON.parse(reply.body));
    // An agent passes on exception texts (PowerShell, SQL Server) that may quote a connection string.
    if (parsed.success) agentMessage = redactText(parsed.data.error.message).slice(0, 300);
  } catch {
    // Not JSON: a proxy's HTML error page, say. The status code is all we report.
  }
  if (reply.status === 401) {
    return new BotError(
      "agent_unauthorized",
      "refused the bot's signature (check the shared secret on both sides, and the clocks)",
    );
  }
  const suffix = agentMessage ? `: ${agentMessage}` : "";
  return new BotError("agent_error", `agent answered HTTP ${reply.status}${suffix}`);
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "unexpected shape";
  const path = issue.path.length > 0 ? `${issue.path.join(".")}: ` : "";
  const more = error.issues.length > 1 ? ` (+${error.issues.length - 1} more)` : "";
  return `${path}${issue.message}${more}`;
}

/** Makes one call and validates the reply against `schema`. Never throws. */
export async function callAgent<T extends z.ZodType>(
  call: AgentCall,
  schema: T,
  sockets: AgentSockets,
): Promise<Result<z.output<T>>> {
  let url: URL;
  try {
    const base = new URL(call.baseUrl);
    url = new URL(`${base.pathname.replace(/\/+$/, "")}${call.path}`, base);
  } catch (err) {
    return fail(new BotError("agent_unreachable", `unreachable (bad agent URL in config)`, { cause: err }));
  }
  const linked = linkedSignal([call.signal], call.timeoutMs);
  let reply: RawReply | undefined;
  try {
    for (let tries = 1; !reply; tries++) {
      try {
        reply = await attempt(call, url, sockets, linked.signal);
      } catch (err) {
        if (tries === 1 && isConnectionReset(err) && !linked.signal.aborted) continue;
        return fail(classify(err, call, url, linked.timedOut()));
      }
    }
  } finally {
    linked.release();
  }
  if (reply.status < 200 || reply.status > 299) return fail(httpFailure(reply));
  let json: unknown;
  try {
    json = JSON.parse(reply.body);
  } catch (err) {
    return fail(new BotError("agent_invalid_reply", "agent sent invalid data (not JSON)", { cause: err }));
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    return fail(
      new BotError("agent_invalid_reply", `agent sent invalid data (${firstIssue(parsed.error)})`, {
        cause: parsed.error,
      }),
    );
  }
  return ok(parsed.data);
}
