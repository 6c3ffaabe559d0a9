import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { RespondArguments } from "@slack/bolt";
import { type Dispatcher, request as undiciRequest } from "undici";

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
  /**
   * Posts through this undici dispatcher (the outbound proxy's ProxyAgent) instead of node:http(s).
   * Its owner closes it; `close()` leaves it open.
   */
  dispatcher?: Dispatcher;
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

/** Reads at most `maxErrorBodyBytes` of a refusal, for the log (a node:http response or an undici body). */
async function refusalText(body: AsyncIterable<Buffer | Uint8Array>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      if (size < maxErrorBodyBytes) chunks.push(bytes);
      size += bytes.length;
    }
  } catch {
    return "";
  }
  return Buffer.concat(chunks).toString("utf8").slice(0, maxErrorBodyBytes).trim();
}

/** Slack answered, but not with 2xx: its status and its short reason (`expired_url`). */
async function refusal(status: number, body: AsyncIterable<Buffer | Uint8Array>): Promise<ResponseUrlError> {
  const text = await refusalText(body);
  return new ResponseUrlError(`Slack refused the response URL post: ${status}${text ? ` ${text}` : ""}`, status);
}

/** No answer within the poster's deadline. */
const silence = (timeoutMs: number, cause?: unknown) =>
  new ResponseUrlError(`Slack did not answer within ${timeoutMs} ms`, undefined, { cause });

/** A poster with its own connection pools (one for https, one for loopback http). */
export function createResponseUrlPoster(options: ResponseUrlOptions = {}): ResponseUrlPoster {
  const timeoutMs = options.timeoutMs ?? 10_000;
  if (options.dispatcher) return createDispatchedPoster(options.dispatcher, timeoutMs);
  const pool = { keepAlive: true, maxSockets: options.maxSockets ?? 16, timeout: timeoutMs };
  const agents = { "http:": new HttpAgent(pool), "https:": new HttpsAgent(pool) };

  return {
    async post(url, message) {
      const target = targetOf(url);
      // Encoded once: its length and its bytes come from the same buffer, which lives outside the JS heap.
      const body = Buffer.from(JSON.stringify(message), "utf8");
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

  function attempt(target: URL, body: Buffer): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const send = target.protocol === "https:" ? httpsRequest : httpRequest;
      const req = send(
        target,
        {
          method: "POST",
          agent: target.protocol === "https:" ? agents["https:"] : agents["http:"],
          headers: { "content-type": "application/json; charset=utf-8", "content-length": body.length },
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
          void refusal(status, res).then(reject);
        },
      );
      req.on("timeout", () => req.destroy(silence(timeoutMs)));
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

/**
 * The same posts through an undici dispatcher (a proxy tunnel). Only used with a proxy: the node:http
 * path above stays the cheap default. No second attempt here: undici does not say whether a failed
 * request went out on a reused connection, and a POST that may have arrived must not be sent twice.
 */
function createDispatchedPoster(dispatcher: Dispatcher, timeoutMs: number): ResponseUrlPoster {
  return {
    async post(url, message) {
      const target = targetOf(url);
      const body = JSON.stringify(message);
      // One deadline for the whole post, tunnel set-up included (headersTimeout starts only once connected).
      const deadline = AbortSignal.timeout(timeoutMs);
      let answer: Dispatcher.ResponseData;
      try {
        const sent = undiciRequest(target, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8" },
          body,
          dispatcher,
          signal: deadline,
        });
        answer = await withDeadline(sent, deadline);
      } catch (err) {
        throw dispatchFailure(err, deadline, timeoutMs);
      }
      const status = answer.statusCode;
      if (status >= 200 && status < 300) {
        try {
          await answer.body.dump();
          return;
        } catch (err) {
          throw new ResponseUrlError("the answer from Slack broke off", status, { cause: err });
        }
      }
      throw await refusal(status, answer.body);
    },
    close() {
      // The dispatcher belongs to the adapter, which closes it on stop.
    },
  };
}

/**
 * Settles when the work does or the deadline passes. undici acts on an abort only once the request has a
 * connection, so a proxy that never answers the CONNECT would otherwise hold the post for minutes.
 */
function withDeadline<T>(work: Promise<T>, deadline: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const expire = () => reject(deadline.reason);
    deadline.addEventListener("abort", expire, { once: true });
    work.then(resolve, reject).finally(() => deadline.removeEventListener("abort", expire));
  });
}

/** What a dispatched post that got no answer failed on; a proxy refusing the tunnel is named as such. */
function dispatchFailure(err: unknown, deadline: AbortSignal, timeoutMs: number): ResponseUrlError {
  if (deadline.aborted) return silence(timeoutMs, err);
  const refused = err instanceof Error ? /^Proxy response \((\d+)\)/.exec(err.message) : null;
  if (refused) {
    return new ResponseUrlError(`the proxy refused the tunnel to the response URL (${refused[1]})`, undefined, {
      cause: err,
    });
  }
  const code = err instanceof Error ? errorCode(err) : "network error";
  if (code === "UND_ERR_PRX_CONN") {
    return new ResponseUrlError("the proxy closed the tunnel to the response URL", undefined, { cause: err });
  }
  return new ResponseUrlError(`the response URL could not be reached (${code})`, undefined, { cause: err });
}

function errorCode(err: Error): string {
  const code = (err as Error & { code?: unknown }).code;
  return typeof code === "string" ? code : "network error";
}
