import fc from "fast-check";
import Papa from "papaparse";
import { describe, expect, it } from "vitest";
import { RecordFramer } from "../../agent/reports/recordFraming.js";

/**
 * The framer hands the CSV parser whole records whatever the chunking: any
 * CSV text cut at any places comes out unchanged, every block it releases
 * parses without quote errors, and the rows equal those of the whole text.
 */

const field = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom("a,b", 'say "hi"', "two\r\nlines", "x\ny", '""', ""),
);
// At least two fields: a lone empty field is a blank line to the parser (and never a DetailedReport row).
const record = fc.array(field, { minLength: 2, maxLength: 6 });
const quoted = (value: string) => `"${value.replaceAll('"', '""')}"`;
const csvText = (records: string[][]) => records.map((r) => `${r.map(quoted).join(",")}\r\n`).join("");

describe("RecordFramer", () => {
  it("releases whole records only, and everything it was given, under any chunking", () => {
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        (records, cuts) => {
          const text = csvText(records);
          const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const framer = new RecordFramer(1024 * 1024);
          const released: string[] = [];
          let from = 0;
          for (const point of [...points, text.length]) {
            released.push(framer.push(text.slice(from, point)));
            from = point;
          }
          released.push(framer.end());
          expect(released.join("")).toBe(text);
          const rows: string[][] = [];
          for (const block of released) {
            if (block === "") continue;
            const parsed = Papa.parse<string[]>(block, { delimiter: ",", newline: "\r\n", skipEmptyLines: true });
            expect(parsed.errors).toEqual([]);
            rows.push(...parsed.data);
          }
          expect(rows).toEqual(records);
        },
      ),
      { numRuns: 300 },
    );
  });
});
