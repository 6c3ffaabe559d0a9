import { mkdirSync, writeFileSync } from "node:fs";
import { relative } from "node:path";
import { parseArgs } from "node:util";
import { Stryker } from "@stryker-mutator/core";
import { mutationGroups } from "../test/mutation/mutationGroups.js";

/**
 * `npm run mutate [group …] [-- --concurrency N] [--only glob …]`: mutation testing of the security- and
 * alert-critical modules, one group at a time against its related tests (see test/mutation/mutationGroups.ts).
 * Prints each module's score and its surviving mutants; the HTML and JSON reports go to reports/mutation/.
 * `--concurrency` caps Stryker's test-runner processes (on a shared machine); `--only` mutates just the named
 * files of the group, to iterate on one module of a large group.
 */
function readArguments() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: { concurrency: { type: "string" }, only: { type: "string", multiple: true } },
    });
  } catch (err) {
    process.stderr.write(
      `${err instanceof Error ? err.message : String(err)}\nusage: npm run mutate [group …] [-- --concurrency N] [--only file …]\n`,
    );
    process.exit(2);
  }
}
const { positionals: asked, values: options } = readArguments();
const concurrency = options.concurrency === undefined ? undefined : Number(options.concurrency);
if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
  process.stderr.write(`--concurrency must be a whole number of at least 1, not "${options.concurrency}"\n`);
  process.exit(2);
}
const unknown = asked.filter((g) => !(g in mutationGroups));
if (unknown.length > 0) {
  process.stderr.write(`unknown group(s): ${unknown.join(", ")}; known: ${Object.keys(mutationGroups).join(", ")}\n`);
  process.exit(2);
}
const groups = asked.length > 0 ? asked : Object.keys(mutationGroups);
mkdirSync("reports/mutation", { recursive: true });

const summary: string[] = [];
for (const name of groups) {
  const group = mutationGroups[name];
  if (!group) continue;
  process.env.MUTATION_GROUP = name;
  const started = Date.now();
  const results = await new Stryker({
    mutate: options.only ?? group.mutate,
    ...(concurrency === undefined ? {} : { concurrency }),
    jsonReporter: { fileName: `reports/mutation/${name}.json` },
    htmlReporter: { fileName: `reports/mutation/${name}.html` },
  }).runMutationTest();
  const seconds = Math.round((Date.now() - started) / 1000);
  const byFile = new Map<string, { detected: number; undetected: number }>();
  const survivors: string[] = [];
  for (const r of results) {
    const tally = byFile.get(r.fileName) ?? { detected: 0, undetected: 0 };
    if (r.status === "Killed" || r.status === "Timeout") tally.detected++;
    else if (r.status === "Survived" || r.status === "NoCoverage") {
      tally.undetected++;
      survivors.push(
        `${relative(process.cwd(), r.fileName)}:${r.location.start.line} ${r.mutatorName} ${r.status}: ${JSON.stringify(r.replacement ?? "")}`,
      );
    }
    byFile.set(r.fileName, tally);
  }
  writeFileSync(`reports/mutation/${name}-survivors.txt`, `${survivors.join("\n")}\n`);
  for (const [file, t] of byFile) {
    const total = t.detected + t.undetected;
    const score = total === 0 ? 100 : (100 * t.detected) / total;
    summary.push(
      `${name.padEnd(15)} ${relative(process.cwd(), file).padEnd(40)} ${score.toFixed(1).padStart(5)} % killed (${t.detected}/${total}), ${seconds}s`,
    );
  }
}
process.stdout.write(
  `\nmutation scores (killed or timed out / all covered and uncovered mutants):\n${summary.join("\n")}\n`,
);
