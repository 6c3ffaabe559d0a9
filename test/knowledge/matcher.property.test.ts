import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { explanationReply } from "../../src/knowledge/explanationReply.js";
import { explainText, maxAnalysedChars, maxSegments } from "../../src/knowledge/matcher.js";
import { renderPlainText } from "../../src/reply/plainText.js";
import { replySchema } from "../../src/reply/reply.js";
import { cpuMillis } from "../support/cpuTime.js";

// Fragments that steer generated input towards the matcher's interesting paths.
const pieces = fc.constantFrom(
  "SchemaMismatchException",
  " ---> ",
  "Policy is missing",
  "Event ID 3003",
  "\n",
  "   at X.Y()",
  "2025-01-01 00:00:00 ERROR ",
  '-AppSecret "abc"',
  "eyJhbGciOi.eyJzdWIi.sig",
  "\ud800",
  "\u0000",
  "::",
  "[",
);
const pasted = fc
  .array(fc.oneof(fc.string({ unit: "binary", maxLength: 200 }), pieces), { maxLength: 40 })
  .map((parts) => parts.join(""));

describe("explain on arbitrary input (property)", () => {
  it("never throws, always yields a valid reply and stays within its limits", () => {
    fc.assert(
      fc.property(pasted, (text) => {
        const e = explainText(text);
        expect(e.text.length).toBeLessThanOrEqual(maxAnalysedChars);
        expect(e.findings.length).toBeLessThanOrEqual(maxSegments);
        for (const f of e.findings) {
          for (const c of f.candidates) expect(c.confidence).toBeGreaterThanOrEqual(0);
          for (const c of f.candidates) expect(c.confidence).toBeLessThanOrEqual(1);
        }
        const reply = explanationReply(e);
        expect(replySchema.safeParse(reply).success).toBe(true);
        expect(typeof renderPlainText(reply)).toBe("string");
      }),
      { numRuns: 300 },
    );
  });

  // Long repetitions of a short unit are what make a backtracking regex quadratic; a linear pass
  // over 64 KB takes milliseconds, a quadratic one seconds. The bound is generous on purpose:
  // it catches that class of bug, not ordinary slowness (the benchmark measures speed). CPU time, not
  // wall time: a neighbour process busy on the other core does not count against us.
  it("stays linear on 64 KB repetitions of any short unit", () => {
    const unit = fc.oneof(
      fc.string({ minLength: 1, maxLength: 4 }),
      fc.constantFrom("EE", "a.", "eyJ-", "pwd={", "-Password '", "---> a", "Exception.", "'a"),
    );
    fc.assert(
      fc.property(unit, (u) => {
        const start = cpuMillis();
        explainText(u.repeat(Math.ceil(maxAnalysedChars / u.length)));
        expect(cpuMillis() - start).toBeLessThan(1500);
      }),
      { numRuns: 40 },
    );
  });

  it("is deterministic and never echoes a pasted -AppSecret", () => {
    fc.assert(
      fc.property(pasted, fc.stringMatching(/^[A-Za-z0-9+/\]]{16,40}$/), (text, secret) => {
        const input = `${text}\n-AppSecret "${secret}"\n${text}`;
        const e = explainText(input);
        expect(explainText(input)).toEqual(e);
        if (input.length < maxAnalysedChars) expect(renderPlainText(explanationReply(e))).not.toContain(`"${secret}"`);
      }),
      { numRuns: 150 },
    );
  });
});
