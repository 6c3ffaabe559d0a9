import type { Finding, RuleInput } from "./finding.js";

/** Unreachable: the node's agent failed `unreachableAfterPolls` polls in a row. */
export function unreachableRule(input: RuleInput): Finding | undefined {
  const last = input.history.at(-1);
  if (!last || last.reachable) return undefined;
  // A run merges polls that failed the same way; count failures of any kind in a row.
  let failures = 0;
  let since = last.at;
  for (let i = input.history.length - 1; i >= 0; i--) {
    const entry = input.history[i];
    if (!entry || entry.reachable) break;
    failures += entry.polls;
    since = entry.at;
  }
  if (failures < input.settings.unreachableAfterPolls) return undefined;
  return {
    kind: "unreachable",
    summary: `The node agent failed ${failures} polls in a row (${last.errorCode ?? "no answer"})`,
    since,
    detail: { failures, errorCode: last.errorCode ?? null, error: last.error ?? null },
  };
}
