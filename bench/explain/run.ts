/**
 * Explain benchmark: match latency over a 10 KB scanner trace, and accuracy of the matcher
 * against a plain fuzzy-search baseline (Fuse.js over the same entries) on the labelled sets.
 * `tuning.jsonl` is the set the matcher was tuned on; `holdout.jsonl` was written and committed
 * before any tuning, `holdout2.jsonl` after the tuning rounds but before its first run; neither was
 * used to adjust the matcher. `holdout3.jsonl` (issue 16: other languages, token-library errors,
 * look-alikes, other wordings) was collected from cited public sources and committed before the
 * matcher learned any of it; it is also reported per group. `holdout4.jsonl` holds further sourced
 * cases of the same four groups, collected and committed after that work and never tuned on.
 * `holdout5.jsonl` (issue 16, second round: no-job/no-repositories warnings, SharePoint throttling,
 * MIP SDK policy exceptions, old and new cmdlet names, look-alikes) was collected from cited public
 * sources and committed with its before figures (bench/explain/README.md) before the tuning it drove.
 * `holdout6.jsonl` (issue 16: es, pt-BR, ru, ko, zh-Hant, nl) likewise, before those languages' new wordings.
 * `holdout7.jsonl` (issue 16, round 3: all four groups, all eleven languages) likewise, committed before the
 * tuning it drove; it is also reported per language (the note's leading language tag, `en` for English).
 * `holdout8.jsonl` (issue 16, round 4: pasted-error shapes from issue threads, logs and pastes, no article text and
 * no source cited before) likewise, committed before the tuning it drove; reported per group and per language.
 * `holdout9.jsonl` (issue 16, round 5: collected by helpers who never saw the matcher's signatures, every language
 * with at least three cases, no source cited before) likewise; reported per group and per language.
 * `holdout10.jsonl` (issue 16, round 6: the same discipline, and none of the documents round 5's tuning drew on).
 * `holdout11.jsonl` (issue 16, round 7: the same discipline; collected while round 7's general additions were
 * written, measured after them and before any tuning on it).
 * Run: `npm run bench:explain`.
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import Fuse from "fuse.js";
import { z } from "zod";
import { knowledgeBase } from "../../src/knowledge/knowledgeBase.js";
import { type Explanation, explainText } from "../../src/knowledge/matcher.js";

const sampleSchema = z.object({
  text: z.string(),
  expected: z.array(z.string()),
  note: z.string(),
  group: z.string().optional(),
  source: z.string().optional(),
});
type Sample = z.infer<typeof sampleSchema>;

const fixture = (name: string) => new URL(`../../test/fixtures/explain/${name}`, import.meta.url);
const readSamples = (name: string): Sample[] =>
  readFileSync(fixture(name), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => sampleSchema.parse(JSON.parse(l)));

/** Percentile of sorted numbers (nearest rank). */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

interface Timing {
  p50: number;
  p99: number;
  max: number;
  cpu: number;
}

function time(text: string, runs: number, warmup = Math.min(20, runs)): Timing {
  for (let i = 0; i < warmup; i++) explainText(text);
  const samples: number[] = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    explainText(text);
    samples.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuBefore);
  samples.sort((a, b) => a - b);
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: samples.at(-1) ?? Number.NaN,
    // CPU time per call: what the matcher costs even when other processes hold the cores.
    cpu: (cpu.user + cpu.system) / 1000 / runs,
  };
}

/** What the matcher commits to: matches and ambiguous candidates (weak "possible" leads are not answers). */
function matcherAnswer(e: Explanation): { ids: string[]; top?: string } {
  const committed = e.findings.filter((f) => f.verdict !== "possible");
  return {
    ids: [...new Set(committed.flatMap((f) => f.candidates.map((c) => c.entry.id)))],
    top: committed[0]?.candidates[0]?.entry.id,
  };
}

// The baseline gets the same knowledge: titles, documented messages and signature phrases.
const fuse = new Fuse(
  knowledgeBase.map((e) => ({
    id: e.id,
    title: e.title,
    messages: e.messages,
    phrases: e.signatures.map((s) => s.phrase),
  })),
  { keys: ["title", "messages", "phrases"], includeScore: true, ignoreLocation: true, threshold: 0.4 },
);
function baselineAnswer(text: string): { ids: string[]; top?: string } {
  const [best] = fuse.search(text.slice(0, 2000));
  return best ? { ids: [best.item.id], top: best.item.id } : { ids: [] };
}

interface Scores {
  /** Right answers over all cases: the top answer on a positive, no answer on a negative. */
  right: string;
  top1: string;
  precision: string;
  recall: string;
  falsePositives: string;
}

function score(samples: Sample[], answer: (text: string) => { ids: string[]; top?: string }): Scores {
  let positives = 0;
  let top1 = 0;
  let predicted = 0;
  let correct = 0;
  let expected = 0;
  let found = 0;
  let negatives = 0;
  let falsePositives = 0;
  for (const s of samples) {
    const a = answer(s.text);
    predicted += a.ids.length;
    correct += a.ids.filter((id) => s.expected.includes(id)).length;
    expected += s.expected.length;
    found += s.expected.filter((id) => a.ids.includes(id)).length;
    if (s.expected.length === 0) {
      negatives++;
      if (a.ids.length > 0) falsePositives++;
    } else {
      positives++;
      if (a.top && s.expected.includes(a.top)) top1++;
    }
  }
  const pct = (n: number, d: number) => (d === 0 ? "n/a" : `${((100 * n) / d).toFixed(1)}%`);
  const right = top1 + negatives - falsePositives;
  return {
    right: `${pct(right, samples.length)} (${right}/${samples.length})`,
    top1: `${pct(top1, positives)} (${top1}/${positives})`,
    precision: `${pct(correct, predicted)} (${correct}/${predicted})`,
    recall: `${pct(found, expected)} (${found}/${expected})`,
    falsePositives: `${falsePositives}/${negatives}`,
  };
}

function table(columns: string[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ");
  return [line(columns), widths.map((w) => "-".repeat(w)).join("-|-"), ...rows.map(line)].join("\n");
}

const trace = readFileSync(fixture("trace-10kb.log"), "utf8");
const fast = time(trace, 1000);
// Steady state: JIT-compiled code, and the quietest of several rounds, because the machine's two
// cores are shared and another process's burst lands in a single round's tail, not in all five.
const steady = Array.from({ length: 5 }, (_, i) => time(trace, 500, i === 0 ? 500 : 50)).reduce((best, t) =>
  t.p99 < best.p99 ? t : best,
);
const huge = time(`${trace}\n`.repeat(Math.ceil(1_000_000 / trace.length)), 20);
const oneLine = time("SchemaMismatchException", 300);
// Repetitions of short units are the inputs that expose backtracking regexes.
const adversarialUnits = ["EE", "a.", "eyJ-", "pwd={", "-Password '", "---> a", "Exception.", "'a", "1.2.3.4:", "\\\\"];
const adversarial = adversarialUnits
  .map((u) => time(u.repeat(Math.ceil(65_536 / u.length)), 5))
  .reduce((worst, t) => (t.max > worst.max ? t : worst));
const ms = (n: number) => `${n.toFixed(2)} ms`;
console.log("Latency of explainText (this machine)\n");
console.log(
  table(
    ["input", "p50", "p99", "max", "CPU per call"],
    [
      [
        `10 KB trace (${trace.length} chars, ${trace.split("\n").length} lines)`,
        ms(fast.p50),
        ms(fast.p99),
        ms(fast.max),
        ms(fast.cpu),
      ],
      [
        "10 KB trace, steady state (500 warm-up calls, quietest of 5 rounds of 500)",
        ms(steady.p50),
        ms(steady.p99),
        ms(steady.max),
        ms(steady.cpu),
      ],
      ["1 MB paste (analysis capped at 64 KB)", ms(huge.p50), ms(huge.p99), ms(huge.max), ms(huge.cpu)],
      ["one exception name", ms(oneLine.p50), ms(oneLine.p99), ms(oneLine.max), ms(oneLine.cpu)],
      [
        `64 KB repeated short unit (worst of ${adversarialUnits.length})`,
        ms(adversarial.p50),
        ms(adversarial.p99),
        ms(adversarial.max),
        ms(adversarial.cpu),
      ],
    ],
  ),
);

const rows: string[][] = [];
for (const [name, file] of [
  ["tuning (tuned on)", "tuning.jsonl"],
  ["holdout (never tuned on)", "holdout.jsonl"],
  ["holdout2 (written after tuning, never tuned on)", "holdout2.jsonl"],
  ["holdout3 (issue 16, sourced)", "holdout3.jsonl"],
  ["holdout4 (issue 16, written after tuning, never tuned on)", "holdout4.jsonl"],
  ["holdout5 (issue 16 round 2, sourced, committed before tuning)", "holdout5.jsonl"],
  ["holdout6 (issue 16 languages es pt-BR ru ko zh-Hant nl, sourced, before)", "holdout6.jsonl"],
  ["holdout7 (issue 16 round 3, sourced, committed before tuning)", "holdout7.jsonl"],
  ["holdout8 (issue 16 round 4, sourced, committed before tuning)", "holdout8.jsonl"],
  ["holdout9 (issue 16 round 5, sourced, committed before tuning)", "holdout9.jsonl"],
  ["holdout10 (issue 16 round 6, sourced, committed before tuning)", "holdout10.jsonl"],
  ["holdout11 (issue 16 round 7, sourced, committed before tuning)", "holdout11.jsonl"],
] as const) {
  const samples = readSamples(file);
  const sets: [string, Sample[]][] = [[`${name}, n=${samples.length}`, samples]];
  const subsets = (label: string, key: (s: Sample) => string | undefined) => {
    for (const value of [...new Set(samples.flatMap((s) => key(s) ?? []))]) {
      const members = samples.filter((s) => key(s) === value);
      sets.push([`  ${label}${value}, n=${members.length}`, members]);
    }
  };
  subsets("", (s) => s.group);
  // holdout7+ notes start with the language of the text ("fr, …"); holdout6's groups are languages already.
  if (["holdout7.jsonl", "holdout8.jsonl", "holdout9.jsonl", "holdout10.jsonl", "holdout11.jsonl"].includes(file))
    subsets("lang ", (s) => /^([A-Za-z]{2}(?:-[A-Za-z]+)?),/.exec(s.note)?.[1]);
  for (const [label, members] of sets) {
    const m = score(members, (t) => matcherAnswer(explainText(t)));
    const b = score(members, baselineAnswer);
    rows.push([label, "matcher", m.right, m.top1, m.precision, m.recall, m.falsePositives]);
    rows.push([label, "Fuse.js baseline", b.right, b.top1, b.precision, b.recall, b.falsePositives]);
  }
}
console.log("\nAccuracy on the labelled sets (test/fixtures/explain)\n");
console.log(
  table(
    ["set", "method", "right (all cases)", "top-1 on positives", "precision", "recall", "false positives on negatives"],
    rows,
  ),
);
