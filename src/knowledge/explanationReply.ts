import { redactedKinds } from "../foundation/redaction.js";
import type { Action, Block, Reply, Status } from "../reply/reply.js";
import { reply, worstStatus } from "../reply/reply.js";
import type { KnowledgeEntry } from "./knowledgeBase.js";
import { languageName, localizedUrl } from "./languages.js";
import type { Candidate, Explanation, Finding } from "./matcher.js";

/** Options for rendering entries: the node the error came from, when the caller knows it. */
export interface EntryRenderOptions {
  /** Fills `{node}` in related commands; without it, commands that need a node are left out. */
  node?: string;
}

const percent = (confidence: number) => `${Math.round(confidence * 100)}%`;

/** Errors explained in full in one reply; the rest are listed in a table so chat limits hold. */
export const maxExplainedFindings = 5;

/** The entry's related commands as buttons, `{node}` resolved or the command dropped. */
export function relatedActions(entry: KnowledgeEntry, options: EntryRenderOptions = {}): Action[] {
  return entry.commands
    .filter((command) => options.node !== undefined || !command.includes("{node}"))
    .map((command) => command.replaceAll("{node}", options.node ?? ""))
    .map((command) => ({ label: command, command }));
}

/**
 * One entry, compactly: what it means, the fix as ordered steps, next commands and the source.
 * For other commands (diagnose, errors) that want to explain a failure they found.
 */
export function entrySummaryBlocks(entry: KnowledgeEntry, options: EntryRenderOptions = {}): Block[] {
  const blocks: Block[] = [
    { kind: "heading", text: entry.title },
    { kind: "text", text: entry.meaning },
    { kind: "text", text: "How to fix it:" },
    { kind: "list", items: [...entry.fix], ordered: true },
  ];
  const actions = relatedActions(entry, options);
  if (actions.length > 0) blocks.push({ kind: "actions", actions });
  blocks.push({ kind: "link", text: `Source: ${entry.source.title}`, url: entry.source.url });
  return blocks;
}

function candidateLine(c: Candidate): string {
  return `${c.entry.title} (\`${c.entry.id}\`, ${percent(c.confidence)})`;
}

/** For a candidate recognised in another language: say so, and link the article in that language. */
function languageBlocks(c: Candidate): Block[] {
  if (!c.language) return [];
  const name = languageName(c.language);
  return [
    { kind: "text", text: `Recognised language: ${name}. I answer in English; the same article in ${name}:` },
    { kind: "link", text: `${c.entry.source.title} (${name})`, url: localizedUrl(c.entry.source.url, c.language) },
  ];
}

/** What the matched codes say (an AADSTS code, a token-library message), before the general fix. */
function detailBlocks(c: Candidate): Block[] {
  if (c.details.length === 0) return [];
  return [
    { kind: "text", text: "What the error's code says:" },
    { kind: "list", items: [...c.details], ordered: false },
  ];
}

function findingBlocks(finding: Finding, options: EntryRenderOptions): Block[] {
  const [top] = finding.candidates;
  if (!top) return [];
  const seen = finding.occurrences > 1 ? ` Seen ${finding.occurrences} times.` : "";
  const blocks: Block[] = [];
  const excerpt: Block = { kind: "code", text: finding.excerpt };
  if (finding.verdict === "match") {
    blocks.push({
      kind: "status",
      status: top.entry.severity,
      text: `${top.entry.title}: matched with ${percent(top.confidence)} confidence (on “${top.evidence}”).${seen}`,
    });
    blocks.push(excerpt, ...languageBlocks(top), ...detailBlocks(top), ...entrySummaryBlocks(top.entry, options));
    return blocks;
  }
  if (finding.verdict === "ambiguous") {
    blocks.push({
      kind: "status",
      status: "warn",
      text: `This text fits ${finding.candidates.length} known errors equally well, so I can't tell which one you have: ${finding.candidates.map(candidateLine).join(" or ")}. Both explanations follow; check which description matches your setup.${seen}`,
    });
  } else {
    blocks.push({
      kind: "status",
      status: "info",
      text: `Possible match, low confidence (${percent(top.confidence)}): ${top.entry.title}. Treat it as a lead, not a diagnosis.${seen}`,
    });
  }
  blocks.push(excerpt, ...languageBlocks(top));
  for (const c of finding.candidates) blocks.push(...detailBlocks(c), ...entrySummaryBlocks(c.entry, options));
  return blocks;
}

/** The blocks of a whole explanation: every finding, or "no known match" with the nearest entries. */
export function explanationBlocks(explanation: Explanation, options: EntryRenderOptions = {}): Block[] {
  const blocks: Block[] = [];
  if (explanation.redacted.length > 0) {
    blocks.push({
      kind: "status",
      status: "warn",
      text: `Your paste contained ${explanation.redacted.length} secret(s) (${redactedKinds(explanation.redacted).join(", ")}). I removed them before reading or echoing anything, but they are now in this chat's history: rotate them (e.g. create a new app secret and run Set-AIPAuthentication again) and delete your message.`,
    });
  }
  switch (explanation.verdict) {
    case "empty":
      blocks.push({
        kind: "status",
        status: "info",
        text: "There is no error text to explain. Paste a scanner error, a log line or a stack trace after `explain`.",
      });
      return blocks;
    case "binary":
      blocks.push({
        kind: "status",
        status: "info",
        text: "That looks like binary data, not text. Paste the error as text (open MSIPScanner.iplog in a text editor, or unzip it first).",
      });
      return blocks;
    case "no_match":
      blocks.push({
        kind: "status",
        status: "info",
        text:
          explanation.otherCauses.length > 0
            ? "No known match: this looks like a known scanner error, but its details name another cause, so that entry's fix would not help."
            : "No known match: I don't recognise this error, and I won't guess.",
      });
      for (const found of explanation.otherCauses) {
        const language = found.language ? ` (recognised in ${languageName(found.language)})` : "";
        blocks.push(
          {
            kind: "status",
            status: "info",
            text: `What the error does say${language}: ${found.cause.title}. ${found.cause.meaning}`,
          },
          { kind: "link", text: `Source: ${found.cause.source.title}`, url: found.cause.source.url },
        );
      }
      if (explanation.nearest.length > 0) {
        blocks.push({ kind: "text", text: "Closest entries (not a match, only in case one applies):" });
        blocks.push({
          kind: "list",
          items: explanation.nearest.map((c) => `${c.entry.title} (\`${c.entry.id}\`)`),
          ordered: false,
        });
      }
      blocks.push({
        kind: "text",
        text: "Paste the whole log line or stack trace (including the innermost `--->` part), or run `errors <node>` to see the node's recent errors.",
      });
      break;
    default: {
      const shown = explanation.findings.slice(0, maxExplainedFindings);
      shown.forEach((finding, i) => {
        if (i > 0) blocks.push({ kind: "divider" });
        blocks.push(...findingBlocks(finding, options));
      });
      const more = explanation.findings.slice(maxExplainedFindings);
      if (more.length > 0) {
        blocks.push({ kind: "divider" });
        blocks.push({ kind: "text", text: `${more.length} more distinct error(s), in short:` });
        blocks.push({
          kind: "table",
          columns: ["Error", "Entry", "Confidence", "Seen"],
          rows: more.map((f) => ({
            cells: [
              f.candidates.map((c) => c.entry.title).join(" or "),
              f.candidates.map((c) => c.entry.id).join(", "),
              percent(f.candidates[0]?.confidence ?? 0),
              String(f.occurrences),
            ],
            status: f.verdict === "match" ? f.candidates[0]?.entry.severity : "warn",
          })),
        });
        blocks.push({
          kind: "text",
          text: "Paste one of them on its own (`explain <text>`) for its full explanation.",
        });
      }
      if (explanation.unmatchedSegments > 0) {
        blocks.push({
          kind: "text",
          text: `${explanation.unmatchedSegments} other line(s) that look like errors matched nothing I know: ${explanation.unmatchedExcerpts.map((e) => `“${e}”`).join("; ")}${explanation.unmatchedSegments > explanation.unmatchedExcerpts.length ? "; …" : ""}.`,
        });
      }
    }
  }
  const { droppedChars, droppedSegments } = explanation.limits;
  if (droppedChars > 0 || droppedSegments > 0) {
    const parts = [
      droppedChars > 0 ? `the last ${Math.ceil(droppedChars / 1024)} KB of text` : "",
      droppedSegments > 0 ? `${droppedSegments} more error(s)` : "",
    ].filter(Boolean);
    blocks.push({
      kind: "text",
      text: `Input too long: I skipped ${parts.join(" and ")}. Paste the part around the error.`,
    });
  }
  return blocks;
}

function summary(explanation: Explanation): string {
  const titles = explanation.findings.flatMap((f) => f.candidates.map((c) => c.entry.title));
  switch (explanation.verdict) {
    case "empty":
      return "Nothing to explain";
    case "binary":
      return "That is not text";
    case "no_match":
      return "No known match for that error";
    case "ambiguous":
      return `Ambiguous: ${titles.join(" or ")}`;
    case "possible":
      return `Possible match: ${titles.join(", ")}`;
    case "match":
      return explanation.findings.length === 1
        ? `Explained: ${titles.join(", ")}`
        : `Explained ${explanation.findings.length} errors: ${titles.join(", ")}`;
  }
}

/** A whole reply for an explanation (what `explain` answers). */
export function explanationReply(explanation: Explanation, options: EntryRenderOptions = {}): Reply {
  const statuses: Status[] = explanation.findings.map((f) =>
    f.verdict === "match" ? (f.candidates[0]?.entry.severity ?? "info") : f.verdict === "ambiguous" ? "warn" : "info",
  );
  if (explanation.redacted.length > 0) statuses.push("warn");
  const status = statuses.length > 0 ? worstStatus(statuses) : "info";
  const builder = reply(summary(explanation), { status });
  builder.append({ text: "", blocks: explanationBlocks(explanation, options), visibility: "channel" });
  return builder.build();
}
