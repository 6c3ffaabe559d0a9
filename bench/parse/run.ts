/**
 * Command-line parsing benchmark: what a 1 MB chat message costs before any command runs, against what
 * `explain` costs for the same text. Goal: parsing never costs more than explaining (the cheapest thing
 * the bot does with a whole paste), for every shape. Exits 1 when a shape misses it.
 * Run: `npm run bench:parse`.
 */
import { performance } from "node:perf_hooks";
import { explainText } from "../../src/knowledge/matcher.js";
import { parseCommandLine } from "../../src/routing/commandLine.js";

const size = 1024 * 1024;
const fill = (unit: string, head: string) => head + unit.repeat(Math.floor((size - head.length) / unit.length));

const shapes: Record<string, string> = {
  "one long word": fill("a", "status "),
  "a long first word": fill("a", ""),
  "many short words": fill("ab ", "status "),
  "many flags": fill("--count 5 ", "errors scan-01 "),
  "quotes that open and close": fill('"a', "status "),
  "an unclosed quote": fill("a b ", 'status "'),
  "line breaks": fill("a\r\n", "status "),
  "a pasted stack trace": fill("   at Microsoft.InformationProtection.Scanner.Run()\r\n", "explain "),
};

/** Median of `runs` timings of `work`, in milliseconds. */
function median(runs: number, work: () => void): number {
  work();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    work();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] ?? Number.NaN;
}

let missed = 0;
console.log("shape                        parse (ms)  explain (ms)  goal");
for (const [shape, text] of Object.entries(shapes)) {
  const parse = median(9, () => parseCommandLine(text));
  const explain = median(3, () => explainText(text));
  const met = parse <= explain;
  if (!met) missed++;
  console.log(
    `${shape.padEnd(28)} ${parse.toFixed(2).padStart(10)}  ${explain.toFixed(1).padStart(12)}  ${met ? "met" : "MISSED"}`,
  );
}
process.exitCode = missed === 0 ? 0 : 1;
