import { readFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningAgentServer } from "../../agent/agentServer.js";
import { agentPaths, healthSchema, scanStatusSchema } from "../../src/wire/agentApi.js";
import { signRequest } from "../../src/wire/requestSigning.js";
import { agentUnderTest } from "./agentUnderTest.js";
import { agentRequest } from "./signedClient.js";

const { startAgentServer, createScannerSimulator } = agentUnderTest;

const tlsDir = join(import.meta.dirname, "..", "fixtures", "agent");
const cert = readFileSync(join(tlsDir, "test-agent-cert.pem"));
const key = readFileSync(join(tlsDir, "test-agent-key.pem"));

/** A signed GET over https that trusts only the test certificate. */
function httpsGet(url: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = signRequest("test-secret", { method: "GET", path, body: "" });
    const req = request(`${url}${path}`, { ca: cert, headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe(`agent server with the simulator (${agentUnderTest.origin})`, () => {
  let server: RunningAgentServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("answers a signed status request with a valid scan status", async () => {
    const backend = createScannerSimulator({ nodeName: "SCAN01.contoso.com", cluster: "contoso-prod", seed: 7 });
    server = await startAgentServer({ backend, secrets: ["test-secret"], port: 0, actionsEnabled: [] });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const answer = await agentRequest(server.url, agentPaths.status);

    expect(answer.status).toBe(200);
    const status = scanStatusSchema.parse(answer.json);
    expect(status.nodeName).toBe("SCAN01.contoso.com");
    expect(status.cluster).toBe("contoso-prod");
    expect(status.clusterStatus).toBe("Scanning");
    expect(status.node?.summary?.scannedFiles).toBeGreaterThan(0);
    expect(status.repositories.length).toBe(3);
  });

  it("serves https with the configured certificate", async () => {
    const backend = createScannerSimulator({ nodeName: "SCAN01", cluster: "contoso-prod" });
    server = await startAgentServer({ backend, secrets: ["test-secret"], tls: { cert, key }, actionsEnabled: [] });
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const answer = await httpsGet(server.url, agentPaths.health);
    expect(answer.status).toBe(200);
    expect(healthSchema.parse(JSON.parse(answer.body)).nodeName).toBe("SCAN01");
    // Plain HTTP to the TLS port gets no answer.
    await expect(fetch(server.url.replace("https:", "http:") + agentPaths.health)).rejects.toThrow();
  });
});
