import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { knowledgeBase } from "../../src/knowledge/knowledgeBase.js";
import { type Explanation, explainText, maxAnalysedChars, maxSegments } from "../../src/knowledge/matcher.js";
import { readSamples } from "./labelledSamples.js";

/** The entries an explanation commits to: matches and ambiguous candidates, not weak "possible" leads. */
function answered(e: Explanation): string[] {
  return [
    ...new Set(e.findings.filter((f) => f.verdict !== "possible").flatMap((f) => f.candidates.map((c) => c.entry.id))),
  ].sort();
}

const ids = (e: Explanation) => e.findings.map((f) => f.candidates.map((c) => c.entry.id));
const tuning = readSamples("tuning");

describe("explainText on the labelled tuning set", () => {
  it.each(tuning.map((s) => [s.note, s] as const))("%s", (_note, sample) => {
    expect(answered(explainText(sample.text))).toEqual([...sample.expected].sort());
  });

  it("has, for every entry, at least two labelled samples (documented text and a variant)", () => {
    for (const entry of knowledgeBase) {
      const count = tuning.filter((s) => s.expected.includes(entry.id)).length;
      expect(count, entry.id).toBeGreaterThanOrEqual(2);
    }
  });
});

describe("explainText behaviour", () => {
  it("states plainly that the article's shared portal message fits two entries", () => {
    const e = explainText("Policy does not include any automatic labeling condition");
    expect(e.verdict).toBe("ambiguous");
    expect(e.findings).toHaveLength(1);
    expect(e.findings[0]?.verdict).toBe("ambiguous");
    expect(ids(e)[0]?.sort()).toEqual([
      "authentication-token-missing",
      "policy-doesnt-include-automatic-labeling-conditions",
    ]);
  });

  it("resolves that ambiguity when another line of the paste names one of the two", () => {
    const e = explainText("Event ID: 3002\nPolicy does not include any automatic labeling condition");
    expect(e.verdict).toBe("match");
    expect(ids(e)).toEqual([["policy-doesnt-include-automatic-labeling-conditions"]]);
  });

  it("prefers the longer phrase: 'Policy is missing labeling conditions' is not 'Policy is missing'", () => {
    expect(ids(explainText("Policy is missing labeling conditions"))).toEqual([
      ["policy-doesnt-include-automatic-labeling-conditions"],
    ]);
  });

  it("lets the innermost cause decide: a WebException caused by DNS is not the TLS entry", () => {
    const e = explainText(
      "System.Net.Http.HttpRequestException: An error occurred while sending the request. ---> System.Net.WebException: The remote name could not be resolved: 'admin.na.aadrm.com'",
    );
    expect(e.verdict).toBe("no_match");
    expect(e.findings).toEqual([]);
    expect(e.nearest.map((c) => c.entry.id)).toContain("underlying-connection-was-closed");
  });

  it("keeps the scanner's own verdict even when the chain ends in a generic cause", () => {
    const e = explainText(
      "AccessDeniedException: The service didn't accept the auth token. ---> System.Net.WebException: The remote server returned an error: (401) Unauthorized.",
    );
    expect(ids(e)).toEqual([["authentication-token-not-accepted"]]);
  });

  it("does not force the same outer text with another inner cause onto the port-exhaustion entry", () => {
    const e = explainText(
      "Unable to connect to the remote server ---> System.Net.Sockets.SocketException: No connection could be made because the target machine actively refused it 10.0.0.5:443",
    );
    expect(answered(e)).toEqual([]);
  });

  it("explains each distinct error of a multi-error paste once, in order, counting repeats", () => {
    const e = explainText(
      [
        "2024-05-05 01:01:01 [7] ERROR SchemaMismatchException",
        "2024-05-05 01:01:02 [7] INFO retrying in 30 s",
        "2024-05-05 01:02:01 [9] ERROR No cluster found",
        "2024-05-05 01:03:01 [7] ERROR SchemaMismatchException",
      ].join("\n"),
    );
    expect(ids(e)).toEqual([["mismatched-or-outdated-schema"], ["no-cluster-found"]]);
    expect(e.findings[0]?.occurrences).toBe(2);
  });

  it("finds the three distinct errors of a 10 KB scanner log with stack frames", () => {
    const trace = readFileSync(new URL("../fixtures/explain/trace-10kb.log", import.meta.url), "utf8");
    const e = explainText(trace);
    expect(ids(e)).toEqual([
      ["mismatched-or-outdated-schema"],
      ["underlying-connection-was-closed"],
      ["unable-to-connect-to-remote-server"],
    ]);
    expect(e.findings.map((f) => f.occurrences)).toEqual([4, 5, 1]);
    expect(e.unmatchedSegments).toBe(0);
  });

  it("keeps a re-wrapped message together and splits unrelated lines", () => {
    const wrapped = explainText("Client application failed to provide\nauthentication token for HTTP\nrequest");
    expect(wrapped.findings).toHaveLength(1);
    expect(wrapped.findings[0]?.candidates[0]?.confidence).toBe(1);
    expect(ids(explainText("No cluster found\nDB error"))).toEqual([["no-cluster-found"], ["database-errors"]]);
  });

  it("maps event ids directly in their usual spellings", () => {
    for (const text of ["Event ID 3003", "EventID: 3003", "<EventID>3003</EventID>", "event id=3003"]) {
      expect(ids(explainText(text)), text).toEqual([["database-errors"]]);
    }
    expect(explainText("Event ID 1001").verdict).toBe("no_match");
  });

  it("ignores GUIDs, timestamps, addresses, paths and stack frames", () => {
    const e = explainText(
      "2025-02-01T08:00:00.123Z [12] 6f1c7c2e-8d7b-4a5e-9f00-1234567890ab \\\\fs01\\share 10.1.1.1:445 ERROR No repositories are configured\n   at Foo.Bar() in C:\\src\\x.cs:line 12",
    );
    expect(ids(e)).toEqual([["no-repositories-configured"]]);
  });

  it("says 'no known match' with the nearest entries instead of guessing", () => {
    const e = explainText(
      "System.IO.IOException: The process cannot access the file because it is being used by another process.",
    );
    expect(e.verdict).toBe("no_match");
    expect(e.findings).toEqual([]);
    expect(e.nearest.length).toBeLessThanOrEqual(3);
  });

  it("reports weak evidence as a possible match, not a match", () => {
    const e = explainText("Object reference not set to an instance of an object");
    expect(e.verdict).toBe("possible");
    expect(e.findings[0]?.candidates[0]?.confidence).toBeLessThan(0.6);
  });

  it("echoes only redacted text", () => {
    const secret = "OAkk+rnuYc/u+]ah2kNxVbtrDGbS47L4";
    const e = explainText(
      `Set-AIPAuthentication -AppSecret "${secret}"\nSet-AIPAuthentication : Unable to authenticate and setup Microsoft Azure Information Protection`,
    );
    expect(e.redacted).toEqual([{ kind: "powershell-secret-argument" }]);
    expect(JSON.stringify(e)).not.toContain(secret);
    expect(ids(e)).toEqual([["unable-to-authenticate-and-set-up"]]);
  });
});

describe("explainText on bad input", () => {
  it("answers empty and blank input", () => {
    expect(explainText("").verdict).toBe("empty");
    expect(explainText(" \n\t \n").verdict).toBe("empty");
    expect(explainText("!!! ??? ...").verdict).toBe("empty");
  });

  it("recognises binary data", () => {
    const binary = String.fromCharCode(...Array.from({ length: 2000 }, (_, i) => (i * 37) % 256));
    expect(explainText(binary).verdict).toBe("binary");
    const json = readFileSync(new URL("../../package.json", import.meta.url), "utf8");
    expect(explainText(json).verdict).not.toBe("binary");
  });

  it("copes with control characters and lone surrogates", () => {
    const e = explainText("\u001b[31mSchemaMismatchException\u001b[0m \ud800 \udc00 \u0000");
    expect(ids(e)).toEqual([["mismatched-or-outdated-schema"]]);
    expect(e.text.includes("\u0000") || e.text.includes("\u001b")).toBe(false);
    expect(e.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it("caps work on 1 MB of input and says how much it skipped", () => {
    const line = "2025-01-01 00:00:00 INFO nothing to see here, scanning \\\\fs01\\share\n";
    const huge = `DB error\n${line.repeat(Math.ceil(1_000_000 / line.length))}`;
    const e = explainText(huge);
    expect(ids(e)).toEqual([["database-errors"]]);
    expect(e.limits.droppedChars).toBe(huge.length - maxAnalysedChars);
    expect(e.text.length).toBeLessThanOrEqual(maxAnalysedChars);
  });

  it("analyses at most maxSegments errors", () => {
    const many = Array.from({ length: maxSegments + 50 }, (_, i) => `Error ${i}: No cluster found`).join("\n\n");
    const e = explainText(many);
    expect(e.limits.droppedSegments).toBe(50);
    expect(e.findings[0]?.occurrences).toBe(maxSegments);
  });

  it("survives a single enormous line and non-string input", () => {
    expect(explainText("x".repeat(1_000_000)).verdict).toBe("no_match");
    expect(explainText(undefined as unknown as string).verdict).toBe("empty");
  });
});
