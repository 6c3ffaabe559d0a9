import { entryForEventId, findEntry, type KnowledgeEntry } from "../knowledge/knowledgeBase.js";
import { explainText } from "../knowledge/matcher.js";
import type { Block } from "../reply/reply.js";

/**
 * Finds the knowledge-base entry behind something a node reported: a failed
 * diagnostic check (which may name its entry) or a log entry (which may carry
 * an event id). Only confident matches count; a weak guess is worse than
 * "unmatched" when an admin is deciding what to fix.
 */
export interface Evidence {
  /** The text the node reported: a check's detail or a log message. */
  text: string;
  /** The entry the agent named, if it could tell. */
  kbId?: string;
  /** Scanner event-log id (3001–3007), when the entry came from the event log. */
  eventId?: number;
}

/** The entry that explains the evidence, or undefined when nothing fits with confidence. */
export function entryForEvidence(evidence: Evidence): KnowledgeEntry | undefined {
  const named = evidence.kbId ? findEntry(evidence.kbId) : undefined;
  if (named) return named;
  // The message text is more specific than the event id: 3001 ("unknown error") covers many causes.
  const explanation = explainText(evidence.text);
  const match = explanation.findings.find((f) => f.verdict === "match");
  const matched = match?.candidates[0]?.entry;
  if (matched) return matched;
  return evidence.eventId === undefined ? undefined : entryForEventId(evidence.eventId);
}

/** Memoises `entryForEvidence` over one command run: logs repeat the same message many times. */
export function evidenceMatcher(): (evidence: Evidence) => KnowledgeEntry | undefined {
  const cache = new Map<string, KnowledgeEntry | undefined>();
  return (evidence) => {
    const key = `${evidence.kbId ?? ""}\u0000${evidence.eventId ?? ""}\u0000${evidence.text}`;
    if (!cache.has(key)) cache.set(key, entryForEvidence(evidence));
    return cache.get(key);
  };
}

/** The first line of a log message or check detail, shortened for a table or a list. */
export function firstLine(text: string, max = 160): string {
  const line = text.split(/\r?\n/)[0]?.trim() ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Drops buttons that would run the command the user just ran (`diagnose scan-03` inside its own answer). */
export function withoutCommand(blocks: Block[], command: string): Block[] {
  const kept: Block[] = [];
  for (const block of blocks) {
    if (block.kind !== "actions") {
      kept.push(block);
      continue;
    }
    const actions = block.actions.filter((a) => a.command !== command);
    if (actions.length > 0) kept.push({ ...block, actions });
  }
  return kept;
}
