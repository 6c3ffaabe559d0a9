import type { IncomingMessage, ServerResponse } from "node:http";
import type { HTTPReceiver } from "@slack/bolt";
import type { Logger } from "../../src/foundation/logger.js";

/** How far ahead of our clock a request's timestamp may be: the same five minutes Slack allows for the past. */
export const futureSkewSeconds = 300;

/**
 * Bolt refuses a request whose `X-Slack-Request-Timestamp` is more than five minutes old, but not one dated
 * in the future, so a request signed "ahead" could be replayed for longer than the window. This puts the
 * mirror-image check in front of Bolt's request listener: such a request gets the same 401 as a bad
 * signature, and one log line. Slack's guide asks for the absolute difference
 * (https://docs.slack.dev/authentication/verifying-requests-from-slack#validating-a-request).
 */
export function refuseFutureTimestamps(receiver: HTTPReceiver, options: { now: () => Date; logger: Logger }): void {
  const bolt = receiver.requestListener;
  receiver.requestListener = (request: IncomingMessage, response: ServerResponse) => {
    const header = request.headers["x-slack-request-timestamp"];
    const text = Array.isArray(header) ? header[0] : header;
    const timestamp = text && /^\d{1,12}$/.test(text) ? Number(text) : undefined;
    const aheadSeconds = timestamp === undefined ? 0 : timestamp - Math.floor(options.now().getTime() / 1000);
    if (aheadSeconds > futureSkewSeconds) {
      options.logger.warn(
        { aheadSeconds, remote: request.socket.remoteAddress },
        "slack: refused a request timestamped more than 5 minutes in the future",
      );
      response.writeHead(401).end();
      return;
    }
    return bolt(request, response);
  };
}
