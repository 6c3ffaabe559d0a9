import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { RunningAgentServer } from "../../agent/agentServer.js";
import type { ScannerBackend } from "../../agent/scannerBackend.js";
import {
  type ActionRequest,
  type ActionResult,
  actionResultSchema,
  agentErrorSchema,
  agentPaths,
  type GuardedAction,
  healthSchema,
  type ScanStatus,
} from "../../src/wire/agentApi.js";
import { signatureHeaders, signRequest } from "../../src/wire/requestSigning.js";
import { agentUnderTest } from "./agentUnderTest.js";
import { actionBody, agentRequest } from "./signedClient.js";

const { startAgentServer, createScannerSimulator } = agentUnderTest;

const secret = "test-secret";

/** Wraps a backend and counts what reached it, so tests can prove a refused request touched nothing. */
function countingBackend(inner: ScannerBackend) {
  const calls: string[] = [];
  const backend: ScannerBackend = {
    health: () => {
      calls.push("health");
      return inner.health();
    },
    status: () => {
      calls.push("status");
      return inner.status();
    },
    diagnostics: () => {
      calls.push("diagnostics");
      return inner.diagnostics();
    },
    errors: (query) => {
      calls.push("errors");
      return inner.errors(query);
    },
    report: (query) => {
      calls.push("report");
      return inner.report(query);
    },
    runAction: (request) => {
      calls.push(`action:${request.action}`);
      return inner.runAction(request);
    },
  };
  return { backend, calls };
}

const simulator = () => createScannerSimulator({ nodeName: "SCAN01", cluster: "contoso-prod", seed: 3 });

describe(`agent server (${agentUnderTest.origin})`, () => {
  let server: RunningAgentServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  async function start(backend: ScannerBackend, actionsEnabled: GuardedAction[] = [], maxBodyBytes?: number) {
    server = await startAgentServer({
      backend,
      secrets: [secret],
      actionsEnabled,
      ...(maxBodyBytes ? { maxBodyBytes } : {}),
    });
    return server;
  }

  const expectError = (answer: { status: number; json: unknown }, status: number, code: string) => {
    expect(answer.status).toBe(status);
    expect(agentErrorSchema.parse(answer.json).error.code).toBe(code);
  };

  describe("authentication", () => {
    it("refuses unsigned, forged, stale and replayed requests without calling the backend", async () => {
      const { backend, calls } = countingBackend(simulator());
      const { url } = await start(backend, ["start-scan"]);

      expectError(await agentRequest(url, agentPaths.status, { sign: false }), 401, "unauthorized");
      expectError(await agentRequest(url, agentPaths.status, { secret: "not-the-secret" }), 401, "unauthorized");
      const stale = await agentRequest(url, agentPaths.status, { now: new Date(Date.now() - 6 * 60_000) });
      expectError(stale, 401, "unauthorized");
      expect(agentErrorSchema.parse(stale.json).error.message).toMatch(/5-minute window/);
      expectError(
        await agentRequest(url, agentPaths.action, { body: actionBody("start-scan"), secret: "wrong" }),
        401,
        "unauthorized",
      );

      const headers = signRequest(secret, { method: "GET", path: agentPaths.health, body: "" });
      const first = await fetch(`${url}${agentPaths.health}`, { headers });
      expect(first.status).toBe(200);
      const replay = await fetch(`${url}${agentPaths.health}`, { headers });
      expect(replay.status).toBe(401);
      expect(agentErrorSchema.parse(await replay.json()).error.message).toMatch(/already received/);

      expect(calls).toEqual(["health"]);
    });

    it("refuses a signature made for another path or body", async () => {
      const { backend, calls } = countingBackend(simulator());
      const { url } = await start(backend);
      const headers = signRequest(secret, { method: "GET", path: "/v1/health", body: "" });
      const moved = await fetch(`${url}/v1/status`, { headers });
      expect(moved.status).toBe(401);
      const tampered = signRequest(secret, { method: "GET", path: "/v1/errors?count=5", body: "" });
      expect((await fetch(`${url}/v1/errors?count=500`, { headers: tampered })).status).toBe(401);
      const withHeader = await fetch(`${url}/v1/status`, {
        headers: {
          ...signRequest(secret, { method: "GET", path: "/v1/status", body: "" }),
          [signatureHeaders.nonce]: "short",
        },
      });
      expect(withHeader.status).toBe(401);
      expect(calls).toEqual([]);
    });

    it("accepts the previous secret during a rotation", async () => {
      server = await startAgentServer({ backend: simulator(), secrets: ["new", "old"], actionsEnabled: [] });
      expect((await agentRequest(server.url, agentPaths.health, { secret: "old" })).status).toBe(200);
      expect((await agentRequest(server.url, agentPaths.health, { secret: "new" })).status).toBe(200);
    });

    it("will not start without a secret", async () => {
      await expect(startAgentServer({ backend: simulator(), secrets: [], actionsEnabled: [] })).rejects.toThrow(
        /secret/,
      );
    });
  });

  describe("requests", () => {
    it("answers every read endpoint with schema-valid data", async () => {
      const { url } = await start(simulator());
      const health = healthSchema.parse((await agentRequest(url, agentPaths.health)).json);
      expect(health.backend).toBe("simulator");
      expect(health.actionsEnabled).toEqual([]);
      expect((await agentRequest(url, agentPaths.diagnostics)).status).toBe(200);
      const errors = await agentRequest(url, `${agentPaths.errors}?count=5`);
      expect(errors.status).toBe(200);
    });

    it("gives 400 for a bad count, 404 for an unknown path and 405 for a wrong method", async () => {
      const { backend, calls } = countingBackend(simulator());
      const { url } = await start(backend);
      for (const count of ["0", "501", "abc", "2.5"]) {
        const answer = await agentRequest(url, `${agentPaths.errors}?count=${count}`);
        expectError(answer, 400, "bad_request");
        expect(agentErrorSchema.parse(answer.json).error.message).toMatch(/1 to 500/);
      }
      expectError(await agentRequest(url, "/v1/secrets"), 404, "not_found");
      expectError(
        await agentRequest(url, agentPaths.status, { method: "POST", body: "{}" }),
        405,
        "method_not_allowed",
      );
      expectError(await agentRequest(url, agentPaths.action), 405, "method_not_allowed");
      expect(calls).toEqual([]);
    });

    it("gives 400 with the reason for bad JSON and bad action requests", async () => {
      const { backend, calls } = countingBackend(simulator());
      const { url } = await start(backend, ["start-scan"]);
      const notJson = await agentRequest(url, agentPaths.action, { body: "{not json" });
      expectError(notJson, 400, "bad_request");
      expect(agentErrorSchema.parse(notJson.json).error.message).toMatch(/not valid JSON/);
      const badAction = await agentRequest(url, agentPaths.action, { body: actionBody("format-disk") });
      expectError(badAction, 400, "bad_request");
      expect(agentErrorSchema.parse(badAction.json).error.message).toMatch(/action/);
      const badId = await agentRequest(url, agentPaths.action, {
        body: JSON.stringify({ action: "start-scan", requestId: "42" }),
      });
      expect(agentErrorSchema.parse(badId.json).error.message).toMatch(/requestId/);
      expect(calls).toEqual([]);
    });

    it("refuses an oversized body with 413 before reading it all", async () => {
      const { backend, calls } = countingBackend(simulator());
      const { url } = await start(backend, ["start-scan"], 1024);
      const body = JSON.stringify({ action: "start-scan", requestId: randomUUID(), padding: "x".repeat(5000) });
      expectError(await agentRequest(url, agentPaths.action, { body }), 413, "payload_too_large");
      expect(calls).toEqual([]);
    });
  });

  describe("backend failures", () => {
    const broken = (overrides: Partial<ScannerBackend>): ScannerBackend => ({ ...simulator(), ...overrides });

    it("turns a throwing probe into a 500 probe_failed without the stack", async () => {
      const { url } = await start(
        broken({
          status: async () => {
            throw new Error("powershell.exe exploded at C:\\secret\\path.ps1:12");
          },
        }),
      );
      const answer = await agentRequest(url, agentPaths.status);
      expectError(answer, 500, "probe_failed");
      expect(JSON.stringify(answer.json)).not.toMatch(/exploded|secret|\.ps1/);
    });

    it("turns a probe answer that breaks the schema into a 500 invalid_output", async () => {
      const { url } = await start(
        broken({
          status: async () => ({ nodeName: "SCAN01", clusterStatus: "Sleeping" }) as unknown as ScanStatus,
        }),
      );
      const answer = await agentRequest(url, agentPaths.status);
      expectError(answer, 500, "invalid_output");
      expect(agentErrorSchema.parse(answer.json).error.message).toMatch(/invalid data/);
    });
  });

  describe("guarded actions", () => {
    it("are all off unless enabled", async () => {
      const { backend, calls } = countingBackend(simulator());
      const { url } = await start(backend);
      for (const action of ["restart-service", "start-scan", "stop-scan", "export-logs"]) {
        const answer = await agentRequest(url, agentPaths.action, { body: actionBody(action) });
        expectError(answer, 403, "forbidden");
      }
      expect(calls).toEqual([]);
    });

    it("runs an enabled action and refuses the others", async () => {
      const { backend, calls } = countingBackend(simulator());
      const { url } = await start(backend, ["export-logs"]);
      const done = await agentRequest(url, agentPaths.action, { body: actionBody("export-logs") });
      expect(done.status).toBe(200);
      const result = actionResultSchema.parse(done.json);
      expect(result).toMatchObject({ action: "export-logs", outcome: "done", replayed: false });
      expect(result.artifactPath).toMatch(/\.zip$/);
      expectError(
        await agentRequest(url, agentPaths.action, { body: actionBody("restart-service") }),
        403,
        "forbidden",
      );
      expect(calls).toEqual(["action:export-logs"]);
    });

    it("runs a request id once, also when the same request arrives twice at the same time", async () => {
      let runs = 0;
      let release: () => void = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const slow: ScannerBackend = {
        ...simulator(),
        runAction: async (request: ActionRequest): Promise<ActionResult> => {
          runs += 1;
          await gate;
          return {
            action: request.action,
            requestId: request.requestId,
            outcome: "done",
            message: "Restarted service AIPScanner.",
            startedAt: "2026-11-25T03:00:00.000Z",
            finishedAt: "2026-11-25T03:00:04.000Z",
            replayed: false,
          };
        },
      };
      const { url } = await start(slow, ["restart-service"]);
      const body = actionBody("restart-service");
      const both = Promise.all([
        agentRequest(url, agentPaths.action, { body }),
        agentRequest(url, agentPaths.action, { body }),
      ]);
      // Let both requests reach the server before the action finishes.
      await new Promise((resolve) => setTimeout(resolve, 50));
      release();
      const answers = await both;
      const results = answers.map((a) => actionResultSchema.parse(a.json));
      expect(runs).toBe(1);
      expect(results.map((r) => r.replayed).sort()).toEqual([false, true]);
      expect(results[0]?.startedAt).toBe(results[1]?.startedAt);

      const later = actionResultSchema.parse((await agentRequest(url, agentPaths.action, { body })).json);
      expect(later).toMatchObject({ replayed: true, message: "Restarted service AIPScanner." });
      expect(runs).toBe(1);
    });

    it("refuses a request id reused for another action", async () => {
      const { url } = await start(simulator(), ["start-scan", "stop-scan"]);
      const requestId = randomUUID();
      const first = await agentRequest(url, agentPaths.action, {
        body: JSON.stringify({ action: "stop-scan", requestId }),
      });
      expect(first.status).toBe(200);
      const second = await agentRequest(url, agentPaths.action, {
        body: JSON.stringify({ action: "start-scan", requestId }),
      });
      expectError(second, 409, "conflict");
    });

    it("lets a request id run again after the backend threw", async () => {
      let runs = 0;
      const flaky: ScannerBackend = {
        ...simulator(),
        runAction: async (request) => {
          runs += 1;
          if (runs === 1) throw new Error("transient");
          return simulator().runAction(request);
        },
      };
      const { url } = await start(flaky, ["export-logs"]);
      const body = actionBody("export-logs");
      expectError(await agentRequest(url, agentPaths.action, { body }), 500, "probe_failed");
      const retried = actionResultSchema.parse((await agentRequest(url, agentPaths.action, { body })).json);
      expect(retried).toMatchObject({ outcome: "done", replayed: false });
      expect(runs).toBe(2);
    });
  });
});
