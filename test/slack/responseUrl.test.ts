import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createResponseUrlPoster, ResponseUrlError, type ResponseUrlPoster } from "../../adapters/slack/responseUrl.js";

/** A loopback stand-in for Slack's response_url endpoint; `answer` decides each request's fate. */
async function startHook(answer: (req: IncomingMessage, res: ServerResponse, body: string, nth: number) => void) {
  const bodies: string[] = [];
  let connections = 0;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      bodies.push(body);
      answer(req, res, body, requests++);
    });
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path = "/actions/T0/1234/secret-token") => `http://127.0.0.1:${port}${path}`,
    bodies,
    get connections() {
      return connections;
    },
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("response_url poster", () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  function poster(options?: Parameters<typeof createResponseUrlPoster>[0]): ResponseUrlPoster {
    const p = createResponseUrlPoster(options);
    cleanups.push(() => p.close());
    return p;
  }

  it("posts the message as JSON and keeps the connection for the next post", async () => {
    const hook = await startHook((req, res) => {
      expect(req.method).toBe("POST");
      expect(req.headers["content-type"]).toMatch(/^application\/json/);
      res.writeHead(200).end("ok");
    });
    cleanups.push(hook.close);
    const p = poster();
    await p.post(hook.url(), { response_type: "in_channel", text: "3 nodes · all scanning…" });
    await p.post(hook.url(), { replace_original: true, text: "done" });
    expect(hook.bodies.map((b) => JSON.parse(b))).toEqual([
      { response_type: "in_channel", text: "3 nodes · all scanning…" },
      { replace_original: true, text: "done" },
    ]);
    expect(hook.connections).toBe(1);
  });

  it("rejects a refusal with Slack's status and reason, never the URL", async () => {
    const hook = await startHook((_req, res) => res.writeHead(404).end("expired_url"));
    cleanups.push(hook.close);
    const failure = await poster()
      .post(hook.url(), { text: "late" })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ResponseUrlError);
    expect(failure).toMatchObject({ status: 404, message: "Slack refused the response URL post: 404 expired_url" });
    expect(String((failure as Error).message)).not.toContain("secret-token");
  });

  it("refuses URLs that are neither https nor loopback, without connecting", async () => {
    const p = poster();
    await expect(p.post("http://hooks.slack.com/actions/T0/1/x", { text: "x" })).rejects.toThrow(
      "the response URL is neither https nor a loopback address",
    );
    await expect(p.post("not a url", { text: "x" })).rejects.toThrow("the response URL is not a URL");
  });

  it("gives up on a post that gets no answer", async () => {
    const hook = await startHook(() => undefined);
    cleanups.push(hook.close);
    await expect(poster({ timeoutMs: 150 }).post(hook.url(), { text: "x" })).rejects.toThrow(
      "Slack did not answer within 150 ms",
    );
  });

  it("sends once more when a kept-alive connection turns out to be closed", async () => {
    // The second request on the first connection dies without an answer, as when Slack drops an idle connection.
    const hook = await startHook((req, res, _body, nth) => {
      if (nth === 1) req.socket.destroy();
      else res.writeHead(200).end("ok");
    });
    cleanups.push(hook.close);
    const p = poster();
    await p.post(hook.url(), { text: "first" });
    await p.post(hook.url(), { text: "second" });
    expect(hook.bodies.map((b) => JSON.parse(b).text)).toEqual(["first", "second", "second"]);
    expect(hook.connections).toBe(2);
  });

  it("does not send again when a fresh connection fails", async () => {
    const hook = await startHook((req) => req.socket.destroy());
    cleanups.push(hook.close);
    await expect(poster().post(hook.url(), { text: "x" })).rejects.toThrow(/could not be reached \(ECONNRESET\)/);
    expect(hook.bodies).toHaveLength(1);
  });
});
