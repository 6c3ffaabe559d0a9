import { readFileSync } from "node:fs";
import { z } from "zod";

/** One labelled paste: the entries it should produce (none for a negative). */
export const labelledSampleSchema = z.object({
  text: z.string(),
  expected: z.array(z.string()),
  note: z.string(),
});
export type LabelledSample = z.infer<typeof labelledSampleSchema>;

/** Reads a JSONL file of labelled samples from test/fixtures/explain/. */
export function readSamples(name: "tuning" | "holdout"): LabelledSample[] {
  const url = new URL(`../fixtures/explain/${name}.jsonl`, import.meta.url);
  return readFileSync(url, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => labelledSampleSchema.parse(JSON.parse(line)));
}
