/**
 * Cuts decoded report text into runs of whole CSV records, so the parser
 * never holds more than one record's worth of unfinished text. A newline
 * ends a record unless it sits inside quotes; the quote count's parity tells
 * which (a doubled `""` inside a field flips it twice). A record longer than
 * the limit is dropped up to its end and counted, so a 10 MB line or a quote
 * that never closes costs bounded memory and shows as a counted problem.
 */
export class RecordFramer {
  private held = "";
  private inQuotes = false;
  private skipping = false;
  /** Records dropped because they grew past the limit. */
  skippedRecords = 0;
  /** True when the text ended inside a quoted field: a quote somewhere never closed. */
  endedInsideQuotes = false;

  constructor(private readonly maxRecordChars: number) {}

  /** Feeds text; returns the whole records it completed (possibly ""). */
  push(chunk: string): string {
    let keepFrom = this.skipping ? -1 : 0;
    let lastBoundary = -1;
    let i = 0;
    let nextQuote = chunk.indexOf('"');
    let nextNewline = chunk.indexOf("\n");
    while (i < chunk.length) {
      if (nextQuote !== -1 && nextQuote < i) nextQuote = chunk.indexOf('"', i);
      if (this.inQuotes) {
        if (nextQuote === -1) break;
        this.inQuotes = false;
        i = nextQuote + 1;
        continue;
      }
      if (nextNewline !== -1 && nextNewline < i) nextNewline = chunk.indexOf("\n", i);
      if (nextNewline !== -1 && (nextQuote === -1 || nextNewline < nextQuote)) {
        lastBoundary = nextNewline + 1;
        if (keepFrom === -1) keepFrom = lastBoundary;
        i = lastBoundary;
        continue;
      }
      if (nextQuote === -1) break;
      this.inQuotes = true;
      i = nextQuote + 1;
    }
    let out = "";
    if (lastBoundary === -1) {
      if (!this.skipping) this.held += chunk;
    } else {
      // keepFrom is set: either 0 (not skipping) or the first boundary, which ends a skip.
      out = (this.skipping ? "" : this.held) + chunk.slice(keepFrom, lastBoundary);
      this.skipping = false;
      this.held = chunk.slice(lastBoundary);
    }
    if (!this.skipping && this.held.length > this.maxRecordChars) {
      this.skipping = true;
      this.held = "";
      this.skippedRecords += 1;
    }
    return out;
  }

  /** The last record when the text did not end with a newline. */
  end(): string {
    if (this.inQuotes) {
      this.endedInsideQuotes = true;
      if (!this.skipping && this.held.length > 0) this.skippedRecords += 1;
      this.held = "";
      return "";
    }
    const rest = this.skipping ? "" : this.held;
    this.held = "";
    return rest;
  }
}
