import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { RespondArguments } from "@slack/bolt";

/**
 * Posts answers to a Slack `response_url`, over node:http(s) with kept-alive
 * connections. Bolt's `respond()` goes through `fetch`, which measured about
 * four times the CPU and twenty times the garbage-collection time per post
 * (5,000 loopback posts: 940 vs 240 ms CPU, 125 vs 7 ms GC); under a burst of
 * `/scanner status` that garbage lands in the acks of the next requests.
 * https://api.slack.com/interactivity/handling#message_responses
 */
export interface ResponseUrlPoster {
  /** Posts one message; rejects with a ResponseUrlError. */
  post(url: string, message: RespondArguments): Promise<void>;
  /** Closes the kept-alive connections. */
  close(): void;
}

/**
 * A post Slack refused or that got no answer. The message never holds the URL:
 * a response_url lets anyone post to the conversation for 30 minutes.
 */
export class ResponseUrlError extends Error {
  constructor(
    message: string,
    /** Slack's HTTP status, when it answered. */
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ResponseUrlError";
  }

  /** The request died on a reused connection before any answer: safe to send once more. */
  staleConnection = false;
}

export interface ResponseUrlOptions {
  /** Gives up on a post whose connection stays silent this long. */
  timeoutMs?: number;
  /** Connections kept per host (Slack answers each post in well under a second). */
  maxSockets?: number;
}

/** Slack's error bodies are short (`expired_url`, `invalid_blocks`); more than this is not worth reading. */
const maxErrorBodyBytes = 512;

/** Only Slack's own https URLs are posted to, or plain http on loopback (tests, the bench). */
function targetOf(url: string): URL {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new ResponseUrlError("the response URL is not a URL");
  }
  const loopback = target.hostname === "127.0.0.1" || target.hostname === "[::1]" || target.hostname === "localhost";
  if (target.protocol !== "https:" && !(target.protocol === "http:" && loopback)) {
    throw new ResponseUrlError("the response URL is neither https nor a loopback address");
  }
  return target;
}

/** Reads at most `maxErrorBodyBytes` of a refusal, for the log. */
function errorBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on("data", (chunk: Buffer) => {
      if (size < maxErrorBodyBytes) chunks.push(chunk);
      size += chunk.length;
    });
    res.on("end", () => resolve(Buffer.concat(chunks).toString("utf8").slice(0, maxErrorBodyBytes).trim()));
    res.on("error", () => resolve(""));
  });
}

/** A poster with its own connection pools (one for https, one for loopback http). */
export function createResponseUrlPoster(options: ResponseUrlOptions = {}): ResponseUrlPoster {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const pool = { keepAlive: true, maxSockets: options.maxSockets ?? 16, timeout: timeoutMs };
  const agents = { "http:": new HttpAgent(pool), "https:": new HttpsAgent(pool) };

  return {
    async post(url, message) {
      const target = targetOf(url);
      const body = JSON.stringify(message);
      try {
        await attempt(target, body);
      } catch (err) {
        // A kept-alive connection that Slack closed while idle fails before the request reached it: try once more.
        if (!(err instanceof ResponseUrlError && err.staleConnection)) throw err;
        await attempt(target, body);
      }
    },
    close() {
      agents["http:"].destroy();
      agents["https:"].destroy();
    },
  };

  function attempt(target: URL, body: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const send = target.protocol === "https:" ? httpsRequest : httpRequest;
      const req = send(
        target,
        {
          method: "POST",
          agent: target.protocol === "https:" ? agents["https:"] : agents["http:"],
          headers: { "content-type": "application/json; charset=utf-8", "content-length": Buffer.byteLength(body) },
          timeout: timeoutMs,
        },
        (res) => {
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            res.resume();
            res.on("end", resolve);
            res.on("error", (err) =>
              reject(new ResponseUrlError("the answer from Slack broke off", status, { cause: err })),
            );
            return;
          }
          void errorBody(res).then((text) =>
            reject(
              new ResponseUrlError(`Slack refused the response URL post: ${status}${text ? ` ${text}` : ""}`, status),
            ),
          );
        },
      );
      req.on("timeout", () => req.destroy(new ResponseUrlError(`Slack did not answer within ${timeoutMs} ms`)));
      req.on("error", (err) => {
        if (err instanceof ResponseUrlError) return reject(err);
        const failure = new ResponseUrlError(`the response URL could not be reached (${errorCode(err)})`, undefined, {
          cause: err,
        });
        failure.staleConnection = req.reusedSocket && errorCode(err) === "ECONNRESET";
        reject(failure);
      });
      req.end(body);
    });
  }
}

function errorCode(err: Error): string {
  const code = (err as Error & { code?: unknown }).code;
  return typeof code === "string" ? code : "network error";
}
