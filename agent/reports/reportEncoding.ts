import { StringDecoder } from "node:string_decoder";

/**
 * How a report file is encoded. Windows tools write UTF-16 LE or UTF-8, usually
 * with a byte order mark; the first bytes decide, and a file without a mark
 * that has a zero in every other byte is taken for UTF-16 LE all the same.
 */
export type ReportEncoding = "utf-8" | "utf-16le";

export type EncodingVerdict =
  | { ok: true; encoding: ReportEncoding; bomBytes: number; guessed: boolean }
  | { ok: false; message: string };

/** Decides the encoding from the first bytes of a file (at least 4 when the file has them). */
export function sniffEncoding(head: Buffer): EncodingVerdict {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    return { ok: true, encoding: "utf-8", bomBytes: 3, guessed: false };
  }
  if (head[0] === 0xff && head[1] === 0xfe) return { ok: true, encoding: "utf-16le", bomBytes: 2, guessed: false };
  if (head[0] === 0xfe && head[1] === 0xff) {
    return {
      ok: false,
      message: "it is UTF-16 big-endian, which the scanner does not write; save it as UTF-8 or UTF-16 LE",
    };
  }
  const sample = head.subarray(0, Math.min(head.length, 512));
  let zerosAtOdd = 0;
  let zerosAtEven = 0;
  for (let i = 0; i < sample.length; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 1) zerosAtOdd += 1;
    else zerosAtEven += 1;
  }
  const pairs = Math.floor(sample.length / 2);
  if (pairs > 0 && zerosAtOdd > pairs * 0.4 && zerosAtEven < pairs * 0.05) {
    return { ok: true, encoding: "utf-16le", bomBytes: 0, guessed: true };
  }
  if (zerosAtOdd + zerosAtEven > 0) {
    return { ok: false, message: "it holds binary data, not text" };
  }
  return { ok: true, encoding: "utf-8", bomBytes: 0, guessed: false };
}

/** Turns byte chunks into text, counting characters that were not valid in the encoding. */
export class ReportDecoder {
  private readonly decoder: StringDecoder;
  /** U+FFFD characters produced: bytes that were not valid in the encoding. */
  replaced = 0;

  constructor(encoding: ReportEncoding) {
    this.decoder = new StringDecoder(encoding === "utf-8" ? "utf8" : "utf16le");
  }

  write(chunk: Buffer): string {
    return this.counted(this.decoder.write(chunk));
  }

  end(): string {
    return this.counted(this.decoder.end());
  }

  private counted(text: string): string {
    for (let at = text.indexOf("\uFFFD"); at !== -1; at = text.indexOf("\uFFFD", at + 1)) this.replaced += 1;
    return text;
  }
}
