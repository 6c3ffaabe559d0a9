import type { ReportProblem } from "../../src/wire/agentApi.js";

/** A file system error in words an admin can act on. */
export function fileProblem(err: unknown, name: string): ReportProblem {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === "EACCES" || code === "EPERM") {
    return {
      code: "access_denied",
      message: `The agent's account may not read ${name} (access denied): give it read access to the scanner service account's Reports folder.`,
    };
  }
  if (code === "ENOENT") {
    return {
      code: "unreadable",
      message: `${name} disappeared while it was being read (the scanner zips older reports); ask again.`,
    };
  }
  return { code: "unreadable", message: `${name} could not be read (${code ?? "not a readable file or zip"}).` };
}
