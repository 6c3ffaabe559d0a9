import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { buildTargets, esbuildOptions } from "../../scripts/build/buildTargets.js";

/**
 * What a console start loads, read from the bot build's own output graph: the entry file and every chunk it
 * imports statically. Packages that only `run`, the demo or a first use need must stay behind an `import()`,
 * or every `scanner-bot console` pays for them at start (issue 15's start-up target).
 */
const root = fileURLToPath(new URL("../../", import.meta.url));

async function startGraph(): Promise<{ packages: Set<string>; sources: Set<string> }> {
  const target = buildTargets.find((t) => t.name === "bot");
  if (!target) throw new Error("no bot build target");
  const result = await build({
    ...esbuildOptions(target, { version: "0.0.0", revision: "test" }, "/tmp/scanner-bot-start-graph"),
    absWorkingDir: root,
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const outputs = result.metafile.outputs;
  const entry = Object.keys(outputs).find((file) => outputs[file]?.entryPoint === target.entry);
  const packages = new Set<string>();
  const sources = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const output = outputs[file];
    if (!output) return;
    for (const input of Object.keys(output.inputs)) sources.add(input);
    for (const imported of output.imports) {
      if (imported.kind !== "import-statement") continue;
      if (imported.external) packages.add(imported.path);
      else visit(imported.path);
    }
  };
  if (entry) visit(entry);
  return { packages, sources };
}

describe("a console start", () => {
  it("loads no chat SDK, database driver, chart renderer, report parser or simulator", async () => {
    const { packages, sources } = await startGraph();
    expect(packages.size).toBeGreaterThan(0);
    const runOnly = [/^pg$/, /^@slack\//, /^botbuilder/, /^botframework/, /^vega/, /^@resvg\//, /^prom-client$/];
    const firstUseOnly = [/^adm-zip$/, /^yauzl$/, /^papaparse$/, /^mssql$/, /^semver$/];
    for (const name of packages) {
      for (const pattern of [...runOnly, ...firstUseOnly]) expect(name, `${name} loads at start`).not.toMatch(pattern);
    }
    const eager = [...sources];
    expect(eager.some((s) => s.startsWith("node_modules/zod/"))).toBe(true);
    expect(
      eager.filter((s) => /agent\/simulator\/|src\/demo\/|src\/runtime\/runtime\.ts|adapters\/(slack|teams)\//.test(s)),
    ).toEqual([]);
  }, 60_000);
});
