import type { NodeOutcome } from "../fleet/fleetClient.js";
import type { FailureGroup, LabelChange, NamedCount, ReportDigest, RepositoryReport } from "../wire/agentApi.js";
import { repositoryMatches } from "./repositoryPath.js";

/**
 * Merges the report digests of several nodes into one: a repository scanned
 * by more than one node is one row, and labels, types, skip reasons, failures
 * and DLP rules are summed across nodes. Optionally limited to the
 * repositories a `--repository` text names.
 */

export interface MergedRepository extends RepositoryReport {
  nodes: string[];
}

export interface MergedDigest {
  repositories: MergedRepository[];
  /** Every merged repository summed up. */
  totals: RepositoryReport;
  /** Summary report counts summed over the nodes that have one (not split by repository). */
  summary: NamedCount[];
  /** The nodes whose Summary report is in `summary`. */
  summaryNodes: string[];
  /** Every repository any node reported, before a `--repository` filter. */
  allRepositories: string[];
}

const maxExamples = 3;

/** Sums counts by name: biggest first, or (`keepOrder`) in the order names first appear, as a Summary lists them. */
function sumNamed(lists: readonly (readonly NamedCount[])[], keepOrder = false): NamedCount[] {
  const sums = new Map<string, number>();
  for (const list of lists) for (const { name, count } of list) sums.set(name, (sums.get(name) ?? 0) + count);
  const merged = [...sums].map(([name, count]) => ({ name, count }));
  return keepOrder ? merged : merged.sort((a, b) => b.count - a.count);
}

function sumLabels(lists: readonly (readonly LabelChange[])[]): LabelChange[] {
  const sums = new Map<string, LabelChange>();
  for (const list of lists) {
    for (const change of list) {
      const key = `${change.from}\u0000${change.to}`;
      const known = sums.get(key);
      sums.set(key, { ...change, count: (known?.count ?? 0) + change.count });
    }
  }
  return [...sums.values()].sort((a, b) => b.count - a.count);
}

function sumFailures(lists: readonly (readonly FailureGroup[])[]): FailureGroup[] {
  const sums = new Map<string, FailureGroup>();
  for (const list of lists) {
    for (const group of list) {
      const key = `${group.status}\u0000${group.comment}`;
      const known = sums.get(key);
      sums.set(key, {
        ...group,
        count: (known?.count ?? 0) + group.count,
        examples: [...(known?.examples ?? []), ...group.examples].slice(0, maxExamples),
      });
    }
  }
  return [...sums.values()].sort((a, b) => b.count - a.count);
}

function sumReports(repository: string, reports: readonly RepositoryReport[]): RepositoryReport {
  const total = (pick: (r: RepositoryReport) => number) => reports.reduce((sum, r) => sum + pick(r), 0);
  return {
    repository,
    files: total((r) => r.files),
    classified: total((r) => r.classified),
    labeled: total((r) => r.labeled),
    protected: total((r) => r.protected),
    failed: total((r) => r.failed),
    skipped: total((r) => r.skipped),
    skippedBy: sumNamed(reports.map((r) => r.skippedBy)),
    labels: sumLabels(reports.map((r) => r.labels)),
    sensitiveTypes: sumNamed(reports.map((r) => r.sensitiveTypes)),
    failures: sumFailures(reports.map((r) => r.failures)),
    dlpRules: sumNamed(reports.map((r) => r.dlpRules)),
  };
}

/** Merges the digests that arrived; failed nodes are left to the caller's notes. */
export function mergeDigests(outcomes: readonly NodeOutcome<ReportDigest>[], repository?: string): MergedDigest {
  const byPath = new Map<string, { path: string; reports: RepositoryReport[]; nodes: Set<string> }>();
  for (const outcome of outcomes) {
    if (!outcome.ok) continue;
    for (const report of outcome.value.repositories) {
      const key = report.repository.toLowerCase().replace(/[\\/]+$/, "");
      const entry = byPath.get(key) ?? { path: report.repository, reports: [], nodes: new Set<string>() };
      entry.reports.push(report);
      entry.nodes.add(outcome.node);
      byPath.set(key, entry);
    }
  }
  const all = [...byPath.values()];
  const chosen = repository ? all.filter((e) => repositoryMatches(e.path, repository)) : all;
  const repositories = chosen
    .map((e) => ({ ...sumReports(e.path, e.reports), nodes: [...e.nodes] }))
    .sort((a, b) => b.files - a.files);
  const summaries = outcomes.flatMap((o) => (o.ok && o.value.summary ? [o.value.summary.counts] : []));
  return {
    repositories,
    totals: sumReports("All repositories", repositories),
    summary: sumNamed(summaries, true),
    summaryNodes: outcomes.flatMap((o) => (o.ok && o.value.summary ? [o.node] : [])),
    allRepositories: all.map((e) => e.path),
  };
}
