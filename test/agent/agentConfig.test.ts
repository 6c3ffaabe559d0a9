import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { enabledActions, loadAgentConfig, parseAgentConfig } from "../../agent/agentConfig.js";
import { runAgentCommand, startAgentFromConfig } from "../../agent/agentRuntime.js";
import type { RunningAgentServer } from "../../agent/agentServer.js";
import { silentLogger } from "../../src/foundation/logger.js";
import { agentPaths, healthSchema, scanStatusSchema } from "../../src/wire/agentApi.js";
import { agentRequest } from "./signedClient.js";

const root = resolve(import.meta.dirname, "..", "..");
const secret = "a-test-secret-of-32-characters!!";
const env = { SCANNER_AGENT_SECRET: secret };

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), "scanner-agent-config-"));
});
afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

const problemsOf = async (text: string, environment: NodeJS.ProcessEnv = env) => {
  const result = await parseAgentConfig(text, join(work, "agent.yml"), environment);
  if (result.ok) throw new Error("expected problems");
  return result.problems;
};

describe("agent config", () => {
  it("loads the simulator example with its secret from the environment", async () => {
    const result = await loadAgentConfig(join(root, "examples", "agent.simulator.yml"), env);
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(result.config.nodeName).toBe("SCAN-LAB01");
    expect(result.config.secrets).toEqual([secret]);
    expect(result.config.secretOrigins).toEqual(["env:SCANNER_AGENT_SECRET"]);
    expect(result.config.backend).toMatchObject({ kind: "simulator", cluster: "contoso-lab", scenario: "healthy" });
    expect(enabledActions(result.config)).toEqual(["start-scan", "stop-scan"]);
  });

  it("keeps its data next to the config unless dataDirectory says where; an unusable one stops the start clearly", async () => {
    const base = "secrets: [env:SCANNER_AGENT_SECRET]\nbackend: { kind: simulator }\nlisten: { port: 0 }\n";
    const parsed = await parseAgentConfig(base, join(work, "agent.yml"), env);
    expect(parsed.ok && parsed.config.dataDirectory).toBe(join(work, "data"));
    const moved = await parseAgentConfig(`${base}dataDirectory: state/agent\n`, join(work, "agent.yml"), env);
    expect(moved.ok && moved.config.dataDirectory).toBe(join(work, "state", "agent"));

    // A data directory under a regular file cannot be created.
    await writeFile(join(work, "not-a-directory"), "x");
    const config = join(work, "blocked-agent.yml");
    await writeFile(config, `${base}dataDirectory: not-a-directory/data\n`);
    const io = { stdout: new PassThrough(), stderr: new PassThrough() };
    let stderr = "";
    io.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const previous = process.env.SCANNER_AGENT_SECRET;
    process.env.SCANNER_AGENT_SECRET = secret;
    try {
      expect(await runAgentCommand(config, io)).toBe(1);
    } finally {
      if (previous === undefined) delete process.env.SCANNER_AGENT_SECRET;
      else process.env.SCANNER_AGENT_SECRET = previous;
    }
    expect(stderr).toMatch(
      /cannot start: cannot create the agent's data directory .*not-a-directory.* \(ENOTDIR|EEXIST\)/,
    );
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it("lists every problem of the Windows example on a machine without its files, by path", async () => {
    const result = await loadAgentConfig(join(root, "examples", "agent.windows.yml"), {});
    if (result.ok) throw new Error("expected problems");
    expect(result.problems.map((p) => p.split(":")[0])).toEqual(["secrets[0]", "listen.tls.cert", "listen.tls.key"]);
  });

  it("reports every schema problem at once, with its path", async () => {
    const problems = await problemsOf(
      [
        "listen: { port: 70000, colour: blue }",
        "secrets: [hunter2-hunter2-hunter2]",
        "backend: { kind: simulator, scenario: on-fire }",
        "actions: { reboot-everything: true }",
      ].join("\n"),
    );
    const text = problems.join("\n");
    expect(text).toMatch(/^listen\.port: /m);
    expect(text).toMatch(/^listen: unknown setting "colour"/m);
    expect(text).toMatch(/^secrets\[0\]: write env:NAME/m);
    expect(text).toMatch(/^backend\.scenario: /m);
    expect(text).toMatch(/^actions: unknown setting "reboot-everything"/m);
    expect(text).not.toMatch(/\n\s+at /);
  });

  it("names a missing variable, an unreadable file and a short secret without printing values", async () => {
    await writeFile(join(work, "short.secret"), "too-short\n");
    const problems = await problemsOf(
      "secrets: [env:NOT_SET_ANYWHERE, file:missing.secret, file:short.secret]\nbackend: { kind: simulator }",
    );
    expect(problems).toEqual([
      "secrets[0]: environment variable NOT_SET_ANYWHERE is not set",
      `secrets[1]: cannot read ${join(work, "missing.secret")} (ENOENT)`,
      "secrets[2]: the secret must be at least 16 characters",
    ]);
    expect(problems.join("\n")).not.toContain("too-short");
  });

  it("reads a secret file relative to the config and trims it", async () => {
    await writeFile(join(work, "agent.secret"), `${secret}\r\n`);
    const result = await parseAgentConfig(
      "secrets: [file:agent.secret]\nbackend: { kind: simulator }",
      join(work, "a.yml"),
    );
    expect(result.ok && result.config.secrets).toEqual([secret]);
  });

  it("refuses plain HTTP beyond loopback unless a lab says so", async () => {
    const base = "secrets: [env:SCANNER_AGENT_SECRET]\nbackend: { kind: simulator }\n";
    const problems = await problemsOf(`${base}listen: { host: 0.0.0.0 }`);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^listen\.tls: /);
    const lab = await parseAgentConfig(
      `${base}listen: { host: 0.0.0.0, allowPlainHttp: true }`,
      join(work, "a.yml"),
      env,
    );
    expect(lab.ok).toBe(true);
  });

  it("gives the PowerShell backend safe defaults: all actions off, database on, event log on", async () => {
    const result = await parseAgentConfig(
      "secrets: [env:SCANNER_AGENT_SECRET]\nbackend: { kind: powershell }",
      join(work, "a.yml"),
      env,
    );
    if (!result.ok) throw new Error(result.problems.join("\n"));
    expect(enabledActions(result.config)).toEqual([]);
    expect(result.config.backend).toMatchObject({
      kind: "powershell",
      timeout: 60_000,
      eventLog: true,
      database: { enabled: true, encrypt: true },
    });
  });

  it("reports YAML syntax errors with their position", async () => {
    const problems = await problemsOf("secrets: [env:X\nbackend: {");
    expect(problems[0]).toMatch(/^line \d+, column \d+: /);
  });
});

describe("agent started from config", () => {
  let server: RunningAgentServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("serves the simulator example over signed HTTP", async () => {
    const result = await loadAgentConfig(join(root, "examples", "agent.simulator.yml"), env);
    if (!result.ok) throw new Error(result.problems.join("\n"));
    server = await startAgentFromConfig(
      { ...result.config, listen: { ...result.config.listen, host: "127.0.0.1", port: 0 } },
      {
        logger: silentLogger(),
      },
    );
    const health = healthSchema.parse((await agentRequest(server.url, agentPaths.health, { secret })).json);
    expect(health).toMatchObject({
      nodeName: "SCAN-LAB01",
      backend: "simulator",
      actionsEnabled: ["start-scan", "stop-scan"],
    });
    const status = scanStatusSchema.parse((await agentRequest(server.url, agentPaths.status, { secret })).json);
    expect(status.cluster).toBe("contoso-lab");
  });

  it("runs as `scanner-bot agent --config` and stops on SIGTERM", async () => {
    const config = join(work, "cli-agent.yml");
    await writeFile(
      config,
      "node: { name: CLI01 }\nlisten: { port: 0 }\nsecrets: [env:SCANNER_AGENT_SECRET]\nbackend: { kind: simulator, scenario: stalled }\n",
    );
    const child = spawn(process.execPath, [join(root, "bin", "scanner-bot.js"), "agent", "--config", config], {
      env: { ...process.env, ...env, LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolveUrl, reject) => {
        let log = "";
        child.stderr.on("data", (chunk: Buffer) => {
          log += chunk.toString();
          const match = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(log);
          if (match?.[1]) resolveUrl(match[1]);
        });
        child.on("exit", (code) => reject(new Error(`agent exited early (${code}): ${log}`)));
      });
      const status = scanStatusSchema.parse((await agentRequest(url, agentPaths.status, { secret })).json);
      expect(status.nodeName).toBe("CLI01");
      const exited = new Promise<number | null>((done) => child.on("exit", done));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("validates a config with --check and exits", async () => {
    const child = spawn(
      process.execPath,
      [
        join(root, "bin", "scanner-bot.js"),
        "agent",
        "--check",
        "--config",
        join(root, "examples", "agent.simulator.yml"),
      ],
      { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    expect(await new Promise<number | null>((done) => child.on("exit", done))).toBe(0);
    expect(stdout).toMatch(/is valid: node SCAN-LAB01, simulator backend, http on 127\.0\.0\.1:8443/);
    expect(stdout).toContain("1 secret(s) from env:SCANNER_AGENT_SECRET, actions: start-scan, stop-scan");
    expect(stdout).not.toContain(secret);
  });

  it("lists config problems on stderr and exits 1 without a stack trace", async () => {
    const config = join(work, "bad-agent.yml");
    await writeFile(config, "secrets: [plain-text-secret-here]\nbackend: { kind: teleport }\n");
    const child = spawn(process.execPath, [join(root, "bin", "scanner-bot.js"), "agent", "--config", config], {
      env: { ...process.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const code = await new Promise<number | null>((done) => child.on("exit", done));
    expect(code).toBe(1);
    expect(stderr).toMatch(/has 2 problems:\n {2}- secrets\[0\]: write env:NAME/);
    expect(stderr).toMatch(/- backend\.kind: /);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stderr).not.toContain("plain-text-secret-here");
  });
});
