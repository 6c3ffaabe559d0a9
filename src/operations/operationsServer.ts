import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Registry } from "prom-client";

/** A readiness check: resolves to a problem description, or undefined when ready. */
export type ReadinessCheck = () => Promise<string | undefined> | string | undefined;

export interface OperationsServerOptions {
  host?: string;
  port?: number;
  registry: Registry;
  /** Named checks for `/readyz` (store reachable, adapters connected…). */
  readiness?: Record<string, ReadinessCheck>;
  /** True once shutdown has begun: `/readyz` then answers 503 so load balancers drain us. */
  isShuttingDown?: () => boolean;
}

export interface OperationsServer {
  url: string;
  close(): Promise<void>;
}

/**
 * `/healthz` (the process answers), `/readyz` (every readiness check passes and
 * we are not shutting down) and `/metrics` (Prometheus text format).
 */
export async function startOperationsServer(options: OperationsServerOptions): Promise<OperationsServer> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok\n");
      return;
    }
    if (path === "/readyz") {
      void (async () => {
        const problems: string[] = [];
        if (options.isShuttingDown?.()) problems.push("shutting down");
        for (const [name, check] of Object.entries(options.readiness ?? {})) {
          try {
            const problem = await check();
            if (problem) problems.push(`${name}: ${problem}`);
          } catch (err) {
            problems.push(`${name}: ${err instanceof Error ? err.message : "check failed"}`);
          }
        }
        res
          .writeHead(problems.length ? 503 : 200, { "content-type": "text/plain" })
          .end(problems.length ? `${problems.join("\n")}\n` : "ready\n");
      })();
      return;
    }
    if (path === "/metrics") {
      options.registry
        .metrics()
        .then((text) => res.writeHead(200, { "content-type": options.registry.contentType }).end(text))
        .catch(() => res.writeHead(500).end());
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("not found\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
