import { type Channel, channel } from "node:diagnostics_channel";
import type { IncomingMessage } from "node:http";

/**
 * Counts every HTTP request any server in this process receives, through
 * Node's `http.server.request.start` diagnostics channel. In a test whose only
 * servers are loopback agents this is exactly "requests that reached an
 * agent", with no hook inside the code under test.
 */
export interface RequestCounter {
  /** Paths (with query) received so far, in order. */
  readonly paths: string[];
  stop(): void;
}

/** Starts counting; call `stop()` in the test's cleanup. */
export function countServerRequests(): RequestCounter {
  const paths: string[] = [];
  const start: Channel = channel("http.server.request.start");
  const onRequest = (message: unknown) => {
    const request = (message as { request?: IncomingMessage }).request;
    paths.push(request?.url ?? "?");
  };
  start.subscribe(onRequest);
  return { paths, stop: () => start.unsubscribe(onRequest) };
}
