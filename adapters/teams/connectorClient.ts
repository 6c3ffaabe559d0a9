import type { CloudAdapter, TurnContext } from "botbuilder";
import type { ConnectorClient } from "botframework-connector";
import { formatDuration } from "../../src/foundation/duration.js";

/**
 * The connector client of a turn, prepared so that no call can hold a turn or
 * a proactive send for long:
 *
 * - The SDK's own retry policy is removed. It retries 429/5xx up to 3 times
 *   with real sleeps, honouring Retry-After: inside an incoming turn one
 *   `Retry-After: 20` held Teams' request for 40 s (Teams gives a bot 15 s), and
 *   in proactive sends it multiplied with ours. So every connector call of the
 *   adapter is tried once by the SDK; the only retry policy is TeamsDelivery's,
 *   bounded and visible.
 * - Every call gets a deadline. The SDK sets none (a connector that accepts
 *   the connection and never answers held the turn forever). The pipeline's
 *   own `request.timeout` is not enough: in @azure/core-rest-pipeline 1.24 it
 *   only runs until the response headers (a stalled body is unbounded) and its
 *   timer is left running when the connection fails. So the deadline is ours:
 *   it covers the whole call, token included, and aborts the request.
 */
export interface TurnConnector {
  client: ConnectorClient | undefined;
  /** False when the policy was not found (the SDK's internals changed): sends may then retry and stall. */
  retriesRemoved: boolean;
  /** False when the pipeline could not be reached (the SDK's internals changed): sends are then unbounded. */
  timeoutAdded: boolean;
}

/** What a connector call throws when the Bot Connector did not answer within its deadline. */
export class ConnectorTimeoutError extends Error {
  override readonly name = "ConnectorTimeoutError";
  constructor(readonly timeoutMs: number) {
    super(`The Bot Connector did not answer within ${formatDuration(timeoutMs)}.`);
  }
}

/** The parts of @azure/core-rest-pipeline this module touches, read structurally so no SDK type leaks out. */
interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: "abort", listener: () => void): void;
  removeEventListener(type: "abort", listener: () => void): void;
}
interface PipelineRequestLike {
  /** Milliseconds; 0 (the SDK's default) means none. */
  timeout: number;
  abortSignal?: AbortSignalLike;
}
interface PipelinePolicyLike {
  name: string;
  sendRequest(request: PipelineRequestLike, next: (request: PipelineRequestLike) => Promise<unknown>): Promise<unknown>;
}
interface PipelineLike {
  removePolicy(policy: { name: string }): unknown[];
  addPolicy(policy: PipelinePolicyLike, options?: { phase?: "Serialize" }): void;
}
interface PipelineHolder {
  client?: { pipeline?: Partial<PipelineLike> };
}

const retryPolicyName = "defaultRetryPolicy";
const timeoutPolicyName = "scannerBotConnectorTimeout";

/** What an earlier call did to a pipeline; the deadline is read per request, so a later call can change it. */
interface Prepared {
  retriesRemoved: boolean;
  deadline: { ms: Deadline };
}

/** Milliseconds a call may take, or a function asked at the start of each call (a turn's shrinking budget). */
export type Deadline = number | (() => number);
// The pipeline refuses two policies of one name (every send would then throw), so a client is prepared once.
const prepared = new WeakMap<object, Prepared>();

/** Aborts a request that has no timeout of its own when it has not answered within `deadline.ms`. */
function timeoutPolicy(deadline: { ms: Deadline }): PipelinePolicyLike {
  return {
    name: timeoutPolicyName,
    async sendRequest(request, next) {
      if (request.timeout > 0) return next(request);
      const ms = typeof deadline.ms === "function" ? deadline.ms() : deadline.ms;
      const controller = new AbortController();
      const outer = request.abortSignal;
      const forward = () => controller.abort();
      if (outer?.aborted) controller.abort();
      else outer?.addEventListener("abort", forward);
      request.abortSignal = controller.signal;
      let timer: ReturnType<typeof setTimeout> | undefined;
      // A race, not only the abort: the token step before the request does not listen to the signal.
      const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          reject(new ConnectorTimeoutError(ms));
          controller.abort();
        }, ms);
      });
      try {
        return await Promise.race([next(request), expired]);
      } finally {
        clearTimeout(timer);
        outer?.removeEventListener("abort", forward);
      }
    },
  };
}

/**
 * Removes a connector client's SDK retry policy and bounds each of its calls by `timeoutMs`.
 * Calling it again for the same client adds nothing; the latest `timeoutMs` applies.
 */
export function prepareConnectorClient(
  client: ConnectorClient | undefined,
  timeoutMs: Deadline,
): Omit<TurnConnector, "client"> {
  const pipeline = (client as unknown as PipelineHolder | undefined)?.client?.pipeline;
  if (!pipeline) return { retriesRemoved: false, timeoutAdded: false };
  const earlier = prepared.get(pipeline);
  if (earlier) {
    earlier.deadline.ms = timeoutMs;
    return { retriesRemoved: earlier.retriesRemoved, timeoutAdded: true };
  }
  const retriesRemoved = (pipeline.removePolicy?.({ name: retryPolicyName })?.length ?? 0) > 0;
  if (typeof pipeline.addPolicy !== "function") return { retriesRemoved, timeoutAdded: false };
  const deadline: { ms: Deadline } = { ms: timeoutMs };
  // First phase: the deadline then also covers the token step and everything after it.
  pipeline.addPolicy(timeoutPolicy(deadline), { phase: "Serialize" });
  prepared.set(pipeline, { retriesRemoved, deadline });
  return { retriesRemoved, timeoutAdded: true };
}

/**
 * Takes the turn's connector client, removes the SDK's retry policy and bounds each call by `timeoutMs`.
 * Calling it again for the same client adds nothing; the latest `timeoutMs` applies.
 */
export function turnConnector(adapter: CloudAdapter, context: TurnContext, timeoutMs: Deadline): TurnConnector {
  const client = context.turnState.get<ConnectorClient | undefined>(adapter.ConnectorClientKey);
  return { client, ...prepareConnectorClient(client, timeoutMs) };
}
