import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningAgentServer, startAgentServer } from "../../agent/agentServer.js";
import {
  createPowershellBackend,
  defaultScriptsDirectory,
  probeScripts,
} from "../../agent/powershell/powershellBackend.js";
import { createProbeRunner } from "../../agent/powershell/probeRunner.js";
import { signRequest } from "../../src/wire/requestSigning.js";
import { injections } from "./hostileText.js";

/**
 * The agent is the last stop before PowerShell. Whatever arrives in its
 * paths, query strings and bodies (signed correctly, so only validation
 * stands in the way) must either be refused before a probe starts, or reach
 * the probe script as JSON data in an environment variable: never as
 * PowerShell text or a command-line argument.
 */

const secret = "agent-input-test-secret-0123456789";
const fakeDir = join(import.meta.dirname, "..", "support", "fakePowershell");
const fixtures = join(import.meta.dirname, "..", "fixtures", "powershell", "aip");
const fixedSwitches = ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File"];

let work: string;
let calls: string;
let agent: RunningAgentServer;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "scanner-badinput-agent-"));
  calls = join(work, "calls.jsonl");
  const runner = createProbeRunner({
    env: {
      PATH: `${fakeDir}${delimiter}${process.env.PATH ?? ""}`,
      FAKE_PS_FIXTURES: fixtures,
      FAKE_PS_LOGDIR: work,
      FAKE_PS_CALLS: calls,
    },
  });
  const backend = createPowershellBackend({
    nodeName: "SCAN01",
    runner,
    timeoutMs: 10_000,
    diagnosticsTimeoutMs: 10_000,
    maxOutputBytes: 1024 * 1024,
    eventLog: false,
    urls: [],
    database: { enabled: false, encrypt: true, trustServerCertificate: false, timeoutMs: 5000 },
    exportDirectory: "C:\\ProgramData\\ScannerBot\\exports",
  });
  agent = await startAgentServer({
    backend,
    secrets: [secret],
    actionsEnabled: ["restart-service", "start-scan", "stop-scan", "export-logs"],
  });
});

afterAll(async () => {
  await agent.close();
  await rm(work, { recursive: true, force: true });
});

/** Sends a correctly signed request with the path exactly as given (no URL normalisation on the way). */
function rawSigned(path: string, options: { method?: "GET" | "POST"; body?: string } = {}) {
  const method = options.method ?? "GET";
  const body = options.body ?? "";
  const url = new URL(agent.url);
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: {
          ...signRequest(secret, { method, path, body }),
          ...(body ? { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8") }));
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

async function probeCalls(): Promise<{ args: string[]; script: string; input: string | null }[]> {
  if (!existsSync(calls)) return [];
  const text = (await readFile(calls, "utf8")).trim();
  return text ? text.split("\n").map((l) => JSON.parse(l)) : [];
}

describe("agent: hostile paths, queries and bodies", () => {
  it("refuses injection in the errors count, the report cycle and every action field before any probe runs", async () => {
    for (const injection of injections) {
      const query = await rawSigned(`/v1/errors?count=${encodeURIComponent(`5${injection}`)}`);
      expect(query.status, injection).toBe(400);
      expect(JSON.parse(query.text).error.code).toBe("bad_request");
      const cycle = await rawSigned(`/v1/report?cycle=${encodeURIComponent(`last${injection}`)}`);
      expect(cycle.status, injection).toBe(400);
      expect(JSON.parse(cycle.text).error.message).toBe("cycle must be last or previous.");
      for (const body of [
        { action: `restart-service${injection}`, requestId: "3e5e2d55-2b5c-4a53-9a34-17f0b0b2b0c3" },
        { action: "restart-service", requestId: `3e5e2d55-2b5c-4a53-9a34-17f0b0b2b0c3${injection}` },
        { action: "start-scan", requestId: "3e5e2d55-2b5c-4a53-9a34-17f0b0b2b0c3", reset: injection },
      ]) {
        const answer = await rawSigned("/v1/actions", { method: "POST", body: JSON.stringify(body) });
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.text).not.toMatch(/\n\s+at /);
      }
    }
    expect(await probeCalls()).toEqual([]);
  });

  it("answers traversal in the path with 404 (or the API path it normalises to), never a file", async () => {
    const paths = [
      "/v1/../../etc/passwd",
      "/v1/status/../../../etc/passwd",
      "/%2e%2e/%2e%2e/etc/passwd",
      "/v1/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
      "/v1/errors/..%5c..%5cWindows%5cwin.ini",
      "/..\\..\\Windows\\win.ini",
      "//etc/passwd",
      "/C:/Windows/System32/config/SAM",
      "/v1/health%00.json",
      "/v1/status;Stop-Service",
    ];
    for (const path of paths) {
      const answer = await rawSigned(path);
      expect(answer.status, path).toBe(404);
      expect(JSON.parse(answer.text).error.code).toBe("not_found");
      expect(answer.text).not.toMatch(/root:|\[fonts\]/);
    }
    // A traversal that lands back on an API path is that API path: nothing outside the API is reachable.
    const normalised = await rawSigned("/v1/diagnostics/../health");
    expect(normalised.status).toBe(200);
    expect(JSON.parse(normalised.text).nodeName).toBe("SCAN01");
  });

  it("passes what it accepts to the fixed script as JSON data, never as PowerShell text", async () => {
    const before = (await probeCalls()).length;
    const errors = await rawSigned("/v1/errors?count=7&count=%3B%20Stop-Service&script=%24(whoami)");
    expect(errors.status).toBe(200);
    const action = await rawSigned("/v1/actions", {
      method: "POST",
      body: JSON.stringify({
        action: "stop-scan",
        requestId: "7b0e4bd4-1f9f-4d56-9f0e-33f4b7b1a001",
        script: "Stop-Service AIPScanner; Remove-Item C:\\ -Recurse",
        command: "$(Invoke-Expression $env:SECRET)",
      }),
    });
    expect(action.status).toBe(200);
    const made = (await probeCalls()).slice(before);
    expect(made.map((c) => c.script)).toEqual(
      expect.arrayContaining([basename(probeScripts.errors), basename(probeScripts.action)]),
    );
    for (const call of made) {
      expect(call.args.slice(0, 5)).toEqual(fixedSwitches);
      expect(call.args).toHaveLength(6);
      expect(call.args[5]?.startsWith(defaultScriptsDirectory)).toBe(true);
      const input = JSON.stringify(call.input);
      for (const hostile of ["Stop-Service", "Remove-Item", "Invoke-Expression", "whoami"]) {
        expect(input).not.toContain(hostile);
      }
    }
    const errorsInput = JSON.parse(made.find((c) => c.script === basename(probeScripts.errors))?.input ?? "{}");
    expect(errorsInput.count).toBe(7);
  });
});

function basename(file: string): string {
  return file.replace(/\.ps1$/, "");
}
