import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/**
 * The one way the agent runs PowerShell: a fixed script file from this
 * repository, its parameters as JSON in an environment variable (never spliced
 * into script text), a deadline that kills the whole process tree, and a cap
 * on how much output is kept.
 */

/** The environment variable a probe script reads its parameters from. */
export const probeInputVariable = "SCANNER_BOT_PROBE_INPUT";

export interface ProbeRun {
  /** Absolute path of a script shipped with the agent. */
  scriptPath: string;
  /** Validated parameters; serialised to JSON for the script. */
  input?: Record<string, unknown>;
  timeoutMs: number;
  maxOutputBytes: number;
}

export type ProbeRunFailure =
  | { kind: "timeout"; message: string }
  | { kind: "output-too-large"; message: string }
  | { kind: "exit-code"; message: string; exitCode: number | null; stderr: string }
  | { kind: "spawn"; message: string };

export type ProbeRunResult = { ok: true; stdout: string; stderr: string } | { ok: false; failure: ProbeRunFailure };

export interface ProbeRunnerOptions {
  /** Defaults to Windows PowerShell 5.1 on Windows and `powershell` on PATH elsewhere (tests put a fake there). */
  executable?: string;
  /** Extra environment for the child (tests use it for PATH); merged over the agent's own. */
  env?: NodeJS.ProcessEnv;
}

/** Runs probe scripts; one instance per agent. */
export interface ProbeRunner {
  run(probe: ProbeRun): Promise<ProbeRunResult>;
}

/** Windows PowerShell 5.1 by full path, so a `powershell.exe` earlier on PATH cannot stand in for it. */
export function defaultPowershellExecutable(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (platform !== "win32") return "powershell";
  const full = join(env.SystemRoot ?? "C:\\Windows", "System32", "WindowsPowerShell", "v1.0", "powershell.exe");
  return existsSync(full) ? full : "powershell.exe";
}

/** Ends a child and everything it started: `taskkill /T` on Windows, the process group elsewhere. */
function killTree(pid: number | undefined): void {
  if (pid === undefined) return;
  if (process.platform === "win32") {
    spawn("taskkill", ["/pid", String(pid), "/T", "/F"], { stdio: "ignore", windowsHide: true }).on("error", () => {});
    return;
  }
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}

/** Creates the runner the PowerShell backend uses for every probe and action. */
export function createProbeRunner(options: ProbeRunnerOptions = {}): ProbeRunner {
  const executable = options.executable ?? defaultPowershellExecutable();
  return {
    run(probe) {
      return new Promise((resolve) => {
        const args = ["-NoProfile", "-NonInteractive", "-ExecutionPolicy", "Bypass", "-File", probe.scriptPath];
        const env = { ...process.env, ...options.env, [probeInputVariable]: JSON.stringify(probe.input ?? {}) };
        let settled = false;
        const finish = (result: ProbeRunResult) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve(result);
        };
        let child: ReturnType<typeof spawn>;
        try {
          // detached: the child leads its own process group, so a timeout can end its children too (POSIX).
          child = spawn(executable, args, {
            env,
            stdio: ["ignore", "pipe", "pipe"],
            windowsHide: true,
            detached: process.platform !== "win32",
          });
        } catch (err) {
          resolve({ ok: false, failure: { kind: "spawn", message: `Cannot start ${executable}: ${String(err)}` } });
          return;
        }
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let outBytes = 0;
        let errBytes = 0;
        const timer = setTimeout(() => {
          killTree(child.pid);
          finish({
            ok: false,
            failure: {
              kind: "timeout",
              message: `The probe did not finish within ${Math.round(probe.timeoutMs / 1000)} s and was stopped.`,
            },
          });
        }, probe.timeoutMs);
        child.stdout?.on("data", (chunk: Buffer) => {
          outBytes += chunk.length;
          if (outBytes > probe.maxOutputBytes) {
            killTree(child.pid);
            finish({
              ok: false,
              failure: {
                kind: "output-too-large",
                message: `The probe wrote more than ${probe.maxOutputBytes} bytes and was stopped.`,
              },
            });
            return;
          }
          stdout.push(chunk);
        });
        child.stderr?.on("data", (chunk: Buffer) => {
          // stderr is only kept for the log; a flood there must not grow memory either.
          errBytes += chunk.length;
          if (errBytes <= 64 * 1024) stderr.push(chunk);
        });
        child.on("error", (err: NodeJS.ErrnoException) => {
          const reason = err.code === "ENOENT" ? "not found" : (err.code ?? err.message);
          finish({ ok: false, failure: { kind: "spawn", message: `Cannot start ${executable} (${reason}).` } });
        });
        child.on("close", (code) => {
          const out = Buffer.concat(stdout).toString("utf8");
          const err = Buffer.concat(stderr).toString("utf8");
          if (code !== 0) {
            finish({
              ok: false,
              failure: {
                kind: "exit-code",
                message: `The probe exited with code ${code ?? "(killed)"}.`,
                exitCode: code,
                stderr: err,
              },
            });
            return;
          }
          finish({ ok: true, stdout: out, stderr: err });
        });
      });
    },
  };
}
