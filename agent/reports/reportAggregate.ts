import type { FailureGroup, LabelChange, NamedCount, RepositoryReport } from "../../src/wire/agentApi.js";
import type { ColumnMap } from "./reportColumns.js";

/**
 * Folds DetailedReport rows into per-repository counts. Every map is capped
 * (a report can have millions of rows with free-text comments), so memory
 * stays bounded whatever the file holds; what does not fit is counted under
 * an "other" entry rather than dropped.
 */

export interface AggregateLimits {
  /** Repositories tracked one by one; later ones are summed under "(other repositories)". */
  maxRepositories: number;
  /** Distinct names per list (labels, types, reasons, failure groups) per repository. */
  maxDistinct: number;
  /** Entries of each list in the answer. */
  topEntries: number;
  /** Example file names per failure group. */
  examplesPerFailure: number;
}

export const defaultAggregateLimits: AggregateLimits = {
  maxRepositories: 100,
  maxDistinct: 500,
  topEntries: 10,
  examplesPerFailure: 3,
};

const other = "(other)";
const noLabel = "(no label)";
const unknownRepository = "(repository not given)";

/**
 * A copy of a string that shares no memory with the text it was cut from. Parsed fields are slices of
 * a whole chunk of the report; one kept as a map key would keep that whole chunk alive.
 */
function own(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}

class CappedCounter {
  private readonly counts = new Map<string, number>();
  constructor(private readonly max: number) {}

  add(key: string): void {
    const known = this.counts.get(key);
    if (known !== undefined) this.counts.set(key, known + 1);
    else if (this.counts.size < this.max) this.counts.set(own(key), 1);
    else this.counts.set(other, (this.counts.get(other) ?? 0) + 1);
  }

  top(n: number): [string, number][] {
    return [...this.counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, n);
  }
}

interface FailureAccumulator {
  status: string;
  comment: string;
  count: number;
  examples: string[];
}

class RepositoryAccumulator {
  files = 0;
  classified = 0;
  labeled = 0;
  protected = 0;
  failed = 0;
  skipped = 0;
  readonly skippedBy: CappedCounter;
  readonly labels: CappedCounter;
  readonly types: CappedCounter;
  readonly dlpRules: CappedCounter;
  readonly failures = new Map<string, FailureAccumulator>();

  constructor(
    readonly repository: string,
    private readonly limits: AggregateLimits,
  ) {
    this.skippedBy = new CappedCounter(limits.maxDistinct);
    this.labels = new CappedCounter(limits.maxDistinct);
    this.types = new CappedCounter(limits.maxDistinct);
    this.dlpRules = new CappedCounter(limits.maxDistinct);
  }

  fail(status: string, comment: string, example: string): void {
    const key = `${status}\u0000${comment}`;
    let group = this.failures.get(key);
    if (!group) {
      const full = this.failures.size >= this.limits.maxDistinct;
      const fallbackKey = `\u0000${other}`;
      group = full ? this.failures.get(fallbackKey) : undefined;
      if (!group) {
        group = full
          ? { status: other, comment: "more kinds of failure than the agent keeps apart", count: 0, examples: [] }
          : { status: own(status), comment: own(comment), count: 0, examples: [] };
        this.failures.set(full ? fallbackKey : own(key), group);
      }
    }
    group.count += 1;
    if (group.examples.length < this.limits.examplesPerFailure && example) group.examples.push(own(example));
  }

  report(): RepositoryReport {
    const { topEntries } = this.limits;
    const named = (counter: CappedCounter): NamedCount[] =>
      counter.top(topEntries).map(([name, count]) => ({ name, count }));
    const labels: LabelChange[] = this.labels.top(topEntries).map(([key, count]) => {
      const [from = noLabel, to = ""] = key.split("\u0000");
      return { from, to, count };
    });
    const failures: FailureGroup[] = [...this.failures.values()]
      .sort((a, b) => b.count - a.count)
      .slice(0, topEntries)
      .map((f) => ({ ...f, examples: [...f.examples] }));
    return {
      repository: this.repository,
      files: this.files,
      classified: this.classified,
      labeled: this.labeled,
      protected: this.protected,
      failed: this.failed,
      skipped: this.skipped,
      skippedBy: named(this.skippedBy),
      labels,
      sensitiveTypes: named(this.types),
      failures,
      dlpRules: named(this.dlpRules),
    };
  }
}

/** Scanner comments can be long; the digest keeps their start. */
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A file's name relative to its repository root, shortened from the left when long. */
export function relativeFileName(fileName: string, repository: string): string {
  const file = fileName.trim();
  const root = repository.trim().replace(/[\\/]+$/, "");
  let relative = file;
  if (root && file.toLowerCase().startsWith(root.toLowerCase())) {
    relative = file.slice(root.length).replace(/^[\\/]+/, "");
  } else if (/^(\\\\|[a-z]:[\\/]|https?:\/\/)/i.test(file)) {
    // Not under the named root: keep only the last two parts, never the server or share.
    relative = file
      .split(/[\\/]+/)
      .slice(-2)
      .join("\\");
  }
  if (relative === "") relative = file.split(/[\\/]+/).at(-1) ?? "";
  return relative.length > 120 ? `…${relative.slice(-119)}` : relative;
}

/** One trimmed field; "" when the column is absent or the row is short. */
function field(row: readonly string[], index: number): string {
  return index === -1 ? "" : (row[index] ?? "").trim();
}

const truthy = (value: string) => value !== "" && !/^(false|no|none|0|unprotected|not protected)$/i.test(value);

/** Accumulates rows of one DetailedReport. */
export class ReportAggregate {
  private readonly repositories = new Map<string, RepositoryAccumulator>();
  rows = 0;

  constructor(
    private readonly columns: ColumnMap,
    private readonly limits: AggregateLimits = defaultAggregateLimits,
  ) {}

  private lastName = "";
  private last: RepositoryAccumulator | undefined;

  private repositoryFor(name: string): RepositoryAccumulator {
    // Rows come grouped by repository: the previous row's is almost always the one.
    if (this.last && name === this.lastName) return this.last;
    this.lastName = own(name);
    this.last = this.lookUp(name);
    return this.last;
  }

  private lookUp(name: string): RepositoryAccumulator {
    const key = name.toLowerCase();
    let found = this.repositories.get(key);
    if (found) return found;
    if (this.repositories.size >= this.limits.maxRepositories) {
      const rest = "(other repositories)";
      found = this.repositories.get(rest) ?? new RepositoryAccumulator(rest, this.limits);
      this.repositories.set(rest, found);
      return found;
    }
    found = new RepositoryAccumulator(own(name), this.limits);
    this.repositories.set(own(key), found);
    return found;
  }

  /** Adds one data row (already split into fields). */
  add(row: readonly string[]): void {
    const { index } = this.columns;
    this.rows += 1;
    const repositoryName = field(row, index.repository) || unknownRepository;
    const repo = this.repositoryFor(repositoryName);
    repo.files += 1;
    const status = field(row, index.status);
    const comment = clip(field(row, index.comment), 160);
    if (/fail|error/i.test(status)) {
      repo.failed += 1;
      repo.fail(clip(status, 60), comment, relativeFileName(field(row, index.fileName), repositoryName));
    } else if (/skip/i.test(status)) {
      repo.skipped += 1;
      repo.skippedBy.add(comment || "no reason given");
    }
    const types = field(row, index.informationTypeName);
    if (types !== "" || field(row, index.conditionName) !== "") repo.classified += 1;
    if (types !== "") {
      for (const type of types.split(/[;,]/)) {
        const name = type.trim();
        if (name) repo.types.add(clip(name, 100));
      }
    }
    const applied = field(row, index.appliedLabel);
    if (applied !== "") {
      repo.labeled += 1;
      repo.labels.add(`${clip(field(row, index.currentLabel), 80) || noLabel}\u0000${clip(applied, 80)}`);
    }
    if (truthy(field(row, index.protectionAfter))) repo.protected += 1;
    const rule = field(row, index.dlpRuleName);
    if (rule !== "") repo.dlpRules.add(clip(rule, 100));
  }

  /** The per-repository figures, biggest repositories first. */
  repositoryReports(): RepositoryReport[] {
    return [...this.repositories.values()].map((r) => r.report()).sort((a, b) => b.files - a.files);
  }
}
