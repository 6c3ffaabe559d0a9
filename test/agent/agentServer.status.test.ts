import { afterEach, describe, expect, it } from "vitest";
import { type RunningAgentServer, startAgentServer } from "../../src/agent/agentServer.js";
import { createScannerSimulator } from "../../src/agent/simulator/scannerSimulator.js";
import { agentPaths, scanStatusSchema } from "../../src/agentApi.js";
import { agentRequest } from "./signedClient.js";

describe("agent server with the simulator", () => {
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
});
