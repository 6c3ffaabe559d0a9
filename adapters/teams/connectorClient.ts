import type { CloudAdapter, TurnContext } from "botbuilder";
import type { ConnectorClient } from "botframework-connector";

/**
 * The connector client of a turn with the SDK's own retry policy removed.
 * That policy retries 429/5xx up to 3 times with real sleeps, honouring
 * Retry-After: inside an incoming turn one `Retry-After: 20` held Teams' request
 * for 40 s (Teams gives a bot 15 s), and in proactive sends it multiplied with
 * ours. So every connector call of the adapter is tried once by the SDK; the
 * only retry policy is TeamsDelivery's, bounded and visible.
 */
export interface TurnConnector {
  client: ConnectorClient | undefined;
  /** False when the policy was not found (the SDK's internals changed): sends may then retry and stall. */
  retriesRemoved: boolean;
}

interface PipelineHolder {
  client?: { pipeline?: { removePolicy(policy: { name: string }): unknown[] } };
}

/** Takes the turn's connector client and removes the SDK's retry policy from it. */
export function turnConnector(adapter: CloudAdapter, context: TurnContext): TurnConnector {
  const client = context.turnState.get<ConnectorClient | undefined>(adapter.ConnectorClientKey);
  const removed = (client as unknown as PipelineHolder | undefined)?.client?.pipeline?.removePolicy({
    name: "defaultRetryPolicy",
  });
  return { client, retriesRemoved: (removed?.length ?? 0) > 0 };
}
