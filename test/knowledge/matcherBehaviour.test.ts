import { describe, expect, it } from "vitest";
import { type Explanation, explainText, matchThreshold, possibleThreshold } from "../../src/knowledge/matcher.js";

// How the matcher combines what each segment of a paste says: corroboration across lines, ambiguity and its
// resolution, repeats, weak segments, the excerpts it echoes and the verdict over the whole paste. Scores are
// compared with each other rather than pinned, so tuning a weight does not break these tests.

const nullReference = "Object reference not set to an instance of an object";
const portalMessage = "Policy does not include any automatic labeling condition";
const top = (e: Explanation) => e.findings[0]?.candidates[0];
const ids = (e: Explanation) => e.findings.map((f) => [f.verdict, ...f.candidates.map((c) => c.entry.id)]);

describe("evidence from several lines of one paste", () => {
  it("lets another line naming the same entry in other words lift a weak match a little, never to 100 %", () => {
    const alone = explainText(nullReference);
    expect(alone.verdict).toBe("possible");
    const weak = top(alone)?.confidence ?? 0;
    expect(weak).toBeGreaterThanOrEqual(possibleThreshold);
    expect(weak).toBeLessThan(matchThreshold);

    const supported = explainText(`${nullReference}\n\nPowerShell 7 is not supported: pwsh failed`);
    expect(ids(supported)).toEqual([["match", "powershell-7-not-supported"]]);
    expect(top(supported)?.confidence).toBeCloseTo(weak + 0.1, 5);
    expect(top(supported)?.evidence).toBe(nullReference);
  });

  it("lets two weak readings of one entry in other words make a match together", () => {
    const login = "Login failed for user 'CONTOSO\\svc-scanner'.";
    const weak = top(explainText(login))?.confidence ?? 1;
    expect(explainText(login).verdict).toBe("possible");
    const e = explainText(`${login}\n\nSqlException`);
    expect(ids(e)).toEqual([["match", "database-errors"]]);
    expect(top(e)?.confidence).toBeCloseTo(weak + 0.1, 5);
  });

  it("lifts only possible leads: a match stays as sure as it was, and leads too weak to be possible stay no match", () => {
    const transport = "A transport-level error has occurred when receiving results from the server.";
    const alone = top(explainText(transport))?.confidence;
    expect(alone).toBeGreaterThanOrEqual(matchThreshold);
    const e = explainText(`${transport}\n\nLogin failed for user 'CONTOSO\\svc-scanner'.`);
    expect(ids(e)).toEqual([["match", "database-errors"]]);
    expect(top(e)?.confidence).toBe(alone);
    expect(explainText("pwsh\n\nPowerShell 7").verdict).toBe("no_match");
  });

  it("does not count the same words repeated as support: a repeated weak line stays a possible match", () => {
    const repeated = explainText(`${nullReference}\n\n${nullReference}`);
    expect(repeated.verdict).toBe("possible");
    expect(repeated.findings).toHaveLength(1);
    expect(repeated.findings[0]).toMatchObject({ verdict: "possible", occurrences: 2 });
    expect(top(repeated)?.confidence).toBe(top(explainText(nullReference))?.confidence);
  });

  it("counts a line logged again with another timestamp and thread as a repeat of the same error", () => {
    const e = explainText(
      [
        "2024-05-05 01:01:01 [7] ERROR SchemaMismatchException",
        "2024-05-05 01:01:05 [8] ERROR SchemaMismatchException",
        "2024-05-05 01:02:01 [7] ERROR SchemaMismatchException",
      ].join("\n"),
    );
    expect(ids(e)).toEqual([["match", "mismatched-or-outdated-schema"]]);
    expect(e.findings[0]?.occurrences).toBe(3);
  });

  it("resolves an ambiguous line by an event id elsewhere in the paste, for every repeat of that line", () => {
    const e = explainText(`${portalMessage}\n${portalMessage}\nEvent ID: 3002`);
    expect(ids(e)).toEqual([["match", "policy-doesnt-include-automatic-labeling-conditions"]]);
    expect(e.findings[0]?.occurrences).toBe(3);
  });

  it("keeps an ambiguity and a separate weak lead apart, and calls the whole paste ambiguous", () => {
    const e = explainText(`${portalMessage}\n\n${nullReference}`);
    expect(e.verdict).toBe("ambiguous");
    expect(ids(e)).toEqual([
      ["ambiguous", "authentication-token-missing", "policy-doesnt-include-automatic-labeling-conditions"],
      ["possible", "powershell-7-not-supported"],
    ]);
    const [first, second] = e.findings;
    expect(first?.candidates.map((c) => c.confidence)).toEqual([
      first?.candidates[0]?.confidence,
      first?.candidates[0]?.confidence,
    ]);
    expect(second?.excerpt).toBe(nullReference);
  });

  it("calls a paste with one clear match a match, and keeps its weak leads about other entries", () => {
    const e = explainText(`No cluster found\n\n${nullReference}`);
    expect(e.verdict).toBe("match");
    expect(ids(e)).toEqual([
      ["match", "no-cluster-found"],
      ["possible", "powershell-7-not-supported"],
    ]);
    expect(top(e)?.confidence).toBe(1);
  });

  it("reports two different errors on one line as two matches, both quoting that line", () => {
    const e = explainText("No cluster found; SchemaMismatchException");
    expect(e.verdict).toBe("match");
    expect(ids(e).sort()).toEqual([
      ["match", "mismatched-or-outdated-schema"],
      ["match", "no-cluster-found"],
    ]);
    expect(e.findings.map((f) => f.excerpt)).toEqual([
      "No cluster found; SchemaMismatchException",
      "No cluster found; SchemaMismatchException",
    ]);
  });

  it("calls a weak wording that fits two entries equally ambiguous, listing both below the match threshold", () => {
    const e = explainText("The operation was canceled");
    expect(e.verdict).toBe("ambiguous");
    expect(ids(e)).toEqual([["ambiguous", "content-extraction-timeout", "file-processing-timeout"]]);
    for (const c of e.findings[0]?.candidates ?? []) {
      expect(c.confidence).toBeGreaterThanOrEqual(possibleThreshold);
      expect(c.confidence).toBeLessThan(matchThreshold);
    }
  });

  it("explains a look-alike by its inner cause, once however often it repeats, and not as an unexplained error", () => {
    const refused =
      "Unable to connect to the remote server ---> System.Net.Sockets.SocketException: No connection could be made because the target machine actively refused it 10.0.0.5:443";
    const alone = explainText(refused);
    expect(alone.verdict).toBe("no_match");
    expect(alone.otherCauses.map((c) => c.cause.id)).toEqual(["socket-refused"]);
    expect(alone.languages).toEqual([]);
    // Its nearest entries come closest first, and the connection entries it imitates are among them.
    const near = alone.nearest.map((c) => c.confidence);
    expect(near).toEqual([...near].sort((a, b) => b - a));
    expect(near[0]).toBeGreaterThan(near.at(-1) ?? 1);
    expect(alone.nearest.map((c) => c.entry.id)).toContain("unable-to-connect-to-remote-server");
    const e = explainText(`${refused}\n\n${refused.replace("10.0.0.5", "10.0.0.9")}\n\nNo cluster found`);
    expect(ids(e)).toEqual([["match", "no-cluster-found"]]);
    expect(e.otherCauses.map((c) => c.cause.id)).toEqual(["socket-refused"]);
    expect(e.unmatchedSegments).toBe(0);
    expect(explainText("No cluster found").otherCauses).toEqual([]);
  });

  it("keeps the surer reading when the same entry is found again on another line, whichever comes first", () => {
    const sure = "Policy is missing";
    const fuzzy = "File is missing";
    const fuzzyAlone = top(explainText(fuzzy))?.confidence ?? 1;
    expect(fuzzyAlone).toBeLessThan(matchThreshold);
    for (const paste of [`${sure}\n\n${fuzzy}`, `${fuzzy}\n\n${sure}`]) {
      const e = explainText(paste);
      expect(ids(e)).toEqual([["match", "policy-missing"]]);
      expect(e.findings[0]?.occurrences).toBe(2);
      expect(top(e)?.confidence).toBe(top(explainText(sure))?.confidence);
      expect(top(e)?.confidence).toBeGreaterThan(fuzzyAlone);
    }
  });

  it("does not take another error for a repeat because both end alike", () => {
    const e = explainText("Policy is missing\n\nLabel is missing");
    expect(ids(e)).toEqual([["match", "policy-missing"]]);
    expect(e.findings[0]?.occurrences).toBe(1);
    expect(e.unmatchedSegments).toBe(1);
    expect(e.unmatchedExcerpts).toEqual(["Label is missing"]);
  });

  it("drops a weak lead on a line when another line already matches that entry, without counting it as a repeat", () => {
    const e = explainText(`${nullReference}\n\nPowerShell 7 pwsh`);
    expect(ids(e)).toEqual([["match", "powershell-7-not-supported"]]);
    expect(e.findings[0]?.occurrences).toBe(1);
    expect(explainText("PowerShell 7 pwsh").verdict).toBe("possible");
  });

  it("names the languages of the findings in the order the paste uses them", () => {
    const french =
      "Une seule utilisation de chaque adresse de socket (protocole/adresse réseau/port) est normalement autorisée";
    const chinese = "找不到群集";
    const e = explainText(`${french}\n${chinese}`);
    expect(e.languages).toEqual(["fr", "zh-Hans"]);
    expect(e.findings.map((f) => f.candidates[0]?.language)).toEqual(["fr", "zh-Hans"]);
    expect(explainText(`${chinese}\n${french}`).languages).toEqual(["zh-Hans", "fr"]);
    expect(top(explainText("No cluster found"))).not.toHaveProperty("language");
    expect(explainText("No cluster found").languages).toEqual([]);
    // The language of a look-alike's inner cause counts too, after the findings'.
    const refusedInFrench =
      "Unable to connect to the remote server ---> System.Net.Sockets.SocketException: Aucune connexion n’a pu être établie car l’ordinateur cible l’a expressément refusée 10.0.0.5:443";
    const mixed = explainText(`${chinese}\n\n${refusedInFrench}`);
    expect(mixed.otherCauses.map((c) => c.cause.id)).toEqual(["socket-refused"]);
    expect(mixed.languages).toEqual(["zh-Hans", "fr"]);
  });
});

describe("what the explanation echoes", () => {
  it("flattens a finding's excerpt to one line and cuts it after 160 characters", () => {
    const long = `No cluster found   because\tthe scanner ${"configuration database has no row for this cluster ".repeat(4)}`;
    const e = explainText(long);
    const flat = long.replace(/\s+/g, " ").trim();
    expect(e.findings[0]?.excerpt).toBe(`${flat.slice(0, 157)}…`);
    expect(explainText("No cluster found   here").findings[0]?.excerpt).toBe("No cluster found here");
    const exactly160 = `No cluster found ${"x".repeat(143)}`;
    expect(exactly160).toHaveLength(160);
    expect(explainText(exactly160).findings[0]?.excerpt).toBe(exactly160);
  });

  it("counts the error-like segments nothing explained, names the first three, and only when something matched", () => {
    const others = ["error one here", "error two here zz", "error three qq", "error four pp"];
    const e = explainText(["No cluster found", ...others, "all good now"].join("\n\n"));
    expect(e.unmatchedSegments).toBe(4);
    expect(e.unmatchedExcerpts).toEqual(others.slice(0, 3));
    const nothing = explainText(others.join("\n\n"));
    expect(nothing.verdict).toBe("no_match");
    expect(nothing.unmatchedSegments).toBe(0);
    expect(nothing.unmatchedExcerpts).toEqual([]);
  });

  it("offers at most three nearest entries, closest first, none as a confident answer, only when nothing matched", () => {
    const e = explainText(
      "System.IO.IOException: The process cannot access the file because it is being used by another process.",
    );
    expect(e.verdict).toBe("no_match");
    expect(e.nearest.length).toBeGreaterThan(0);
    expect(e.nearest.length).toBeLessThanOrEqual(3);
    const confidences = e.nearest.map((c) => c.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    for (const c of e.nearest) {
      expect(c.confidence).toBeGreaterThan(0.05);
      expect(c.evidence).toBe("shared words");
      expect(c.details).toEqual([]);
    }
    expect(explainText("No cluster found").nearest).toEqual([]);
    // A few shared everyday words make an entry faintly near, never close.
    const everyday = explainText("The process cannot access the file because it is being used by another process.");
    expect(everyday.nearest.length).toBeGreaterThan(0);
    for (const c of everyday.nearest) expect(c.confidence).toBeLessThan(0.15);
    // A word too weak to be a lead still puts its entry first among the nearest.
    const pwsh = explainText("pwsh");
    expect(pwsh.verdict).toBe("no_match");
    expect(pwsh.nearest[0]?.entry.id).toBe("powershell-7-not-supported");
    expect(pwsh.nearest[0]?.confidence).toBeGreaterThan(pwsh.nearest[1]?.confidence ?? 0);
    // It keeps the weak lead's own score, which is more than one shared word is worth.
    expect(pwsh.nearest[0]?.confidence).toBeGreaterThan(0.2);
    for (const c of pwsh.nearest) expect(c.confidence).toBeGreaterThan(0.05);
    expect(explainText(nullReference).nearest).toEqual([]);
  });

  it("says binary for binary data and empty for blank input, with nothing else", () => {
    const nothing = {
      findings: [],
      nearest: [],
      unmatchedSegments: 0,
      unmatchedExcerpts: [],
      languages: [],
      otherCauses: [],
    };
    const binary = explainText("\u0000\u0001\u0002\u0003binary\u0000\u0000\u0004\u0005");
    expect(binary).toMatchObject({ ...nothing, verdict: "binary", limits: { droppedChars: 0, droppedSegments: 0 } });
    for (const blank of ["", "   \n\t  "]) expect(explainText(blank)).toMatchObject({ ...nothing, verdict: "empty" });
    // Words that are no error are not "empty": they are text without a known error.
    expect(explainText("hello world").verdict).toBe("no_match");
  });

  it("judges binary by the start of the paste: text first is analysed as text", () => {
    const textThenBinary = `${"No cluster found\n".repeat(300)}${"\u0000\u0001\u0002".repeat(3000)}`;
    expect(explainText(textThenBinary).verdict).not.toBe("binary");
  });
});
