import { createHash } from "node:crypto";
import type { App, BufferedIncomingMessage } from "@slack/bolt";
import { z } from "zod";
import type { Logger } from "../../src/foundation/logger.js";
import type { RequestKeys } from "../../src/store/requestKeys.js";
import { failureOf } from "./slackDelivery.js";

/**
 * How long a handled request's key is kept. Slack retries an event up to three times: at once, after about a
 * minute and after about five (https://docs.slack.dev/apis/events-api/#retries); a signed request is accepted
 * while its timestamp is within five minutes of our clock either way, so one captured request can be sent again
 * for up to ten minutes after it was made. Fifteen minutes covers both, with room for clock skew.
 */
export const requestKeyRetentionMs = 15 * 60_000;

/** The context property the HTTP receiver fills with the digest of the signed timestamp and raw body. */
const signedDigestProperty = "scannerSignedDigest";

const identifiers = z.object({
  event_id: z.string().min(1).max(200).optional(),
  trigger_id: z.string().min(1).max(200).optional(),
});

/**
 * What identifies one logical Slack request, the same in every re-delivery of it:
 * - Events API: `event_id`. Slack's retries are new HTTP requests (new timestamp and signature, plus
 *   `X-Slack-Retry-Num` / `X-Slack-Retry-Reason`) carrying the same event and `event_id`
 *   (https://docs.slack.dev/apis/events-api/#callback-field, #retries); over Socket Mode the envelope is re-sent
 *   with `retry_attempt` and the same payload.
 * - Slash commands and interactions (buttons, shortcuts): `trigger_id`, which Slack mints once per user
 *   invocation (https://docs.slack.dev/interactivity/implementing-slash-commands/#app_command_handling,
 *   https://docs.slack.dev/reference/interaction-payloads/block_actions-payload). Slack documents no retries
 *   for these, but an identical copy (a proxy re-sending, or a captured request replayed inside the signature
 *   window) carries the same one.
 * - Anything else that came over HTTP: the digest of the signed timestamp and body, i.e. what the signature
 *   covers (https://docs.slack.dev/authentication/verifying-requests-from-slack), so only byte-identical
 *   copies match.
 */
export function requestKeyOf(body: unknown, signedDigest: unknown): string | undefined {
  const ids = identifiers.safeParse(body);
  if (ids.success && ids.data.event_id) return `slack:event:${ids.data.event_id}`;
  if (ids.success && ids.data.trigger_id) return `slack:trigger:${ids.data.trigger_id}`;
  return typeof signedDigest === "string" ? `slack:signed:${signedDigest}` : undefined;
}

/** For the HTTP receiver's `customPropertiesExtractor`: the signed timestamp and body as one digest. */
export function signedDigestOf(request: BufferedIncomingMessage): Record<string, string> {
  const timestamp = request.headers["x-slack-request-timestamp"];
  const digest = createHash("sha256")
    .update(`${Array.isArray(timestamp) ? timestamp[0] : (timestamp ?? "")}:`)
    .update(request.rawBody)
    .digest("hex");
  return { [signedDigestProperty]: digest };
}

/**
 * Global middleware, registered before every listener: the first delivery of a request goes on, every
 * re-delivery is acknowledged (so Slack stops retrying) and goes no further: no command runs, nothing is posted.
 * The key is recorded before the request is handled, so a replica that dies mid-command is not asked again:
 * that request's answer is lost rather than given twice. When the key cannot be recorded (the store is down),
 * the request is handled anyway and the log says so: that is the one case where a re-delivery may run twice.
 */
export function registerRedeliveryGuard(
  app: App,
  options: { keys: RequestKeys; logger: Logger; now: () => Date },
): void {
  app.use(async (args) => {
    const { body, context, next } = args;
    const key = requestKeyOf(body, context[signedDigestProperty]);
    if (!key) return next();
    let first: boolean;
    try {
      first = await options.keys.claim(key, options.now());
    } catch (err) {
      options.logger.warn(
        { failure: failureOf(err) },
        "slack: could not record the request key; handling the request without re-delivery protection",
      );
      first = true;
    }
    if (first) return next();
    options.logger.info(
      {
        kind: key.split(":")[1],
        ...(context.retryNum === undefined ? {} : { retryNum: context.retryNum }),
        ...(context.retryReason === undefined ? {} : { retryReason: context.retryReason }),
      },
      "slack: ignored a re-delivered request (already handled)",
    );
    // Events were acknowledged by Bolt already; commands and interactions get an empty 200 here.
    if ("ack" in args && typeof args.ack === "function") await args.ack();
  });
}
