import { describe, expect, it } from "vitest";
import {
  maxCommandWordLength,
  maxParsedWordLength,
  maxParsedWords,
  parseCommandLine,
  stripPrefix,
  tokenize,
} from "../../src/routing/commandLine.js";

describe("parseCommandLine", () => {
  it("accepts the slash form, the bare form and a mention", () => {
    for (const line of [
      "/scanner errors node-2 50",
      "scanner errors node-2 50",
      "errors node-2 50",
      "@scanner errors node-2 50",
    ]) {
      const parsed = parseCommandLine(line);
      expect(parsed.name).toBe("errors");
      expect(parsed.positionals).toEqual(["node-2", "50"]);
    }
  });

  it("lower-cases the command word but keeps argument case", () => {
    expect(parseCommandLine("STATUS Prod-EU")).toMatchObject({ name: "status", positionals: ["Prod-EU"] });
  });

  it("keeps the raw rest for free-text commands", () => {
    const parsed = parseCommandLine("/scanner explain  System.Net.WebException: a ---> b\nline two");
    expect(parsed.rest).toBe("System.Net.WebException: a ---> b\nline two");
  });

  it("reads --flags with and without values", () => {
    expect(parseCommandLine("errors --count=5 --json node-1").flags).toEqual({ count: "5", json: true });
    expect(parseCommandLine("errors --count 7").flags).toEqual({ count: "7" });
  });

  it("returns an empty name for empty input", () => {
    expect(parseCommandLine("   ").name).toBe("");
    expect(parseCommandLine("/scanner").name).toBe("");
  });

  it("does not treat a word that merely starts with scanner as the prefix", () => {
    expect(stripPrefix("scannerfoo status")).toBe("scannerfoo status");
  });
});

describe("tokenize", () => {
  it("honours quotes", () => {
    expect(tokenize(`status "prod cluster" 'a b' c`)).toEqual(["status", "prod cluster", "a b", "c"]);
    expect(tokenize(`snooze \u201cnode 1\u201d 1h`)).toEqual(["snooze", "node 1", "1h"]);
  });
  it("keeps an empty quoted argument", () => {
    expect(tokenize(`help ""`)).toEqual(["help", ""]);
  });
});

describe("flag values with line breaks", () => {
  it("keep a quoted multi-line value as the flag's value, not as a word", () => {
    const parsed = parseCommandLine('restart scan-01 --confirm="abc\nStop-Service AIPScanner"');
    expect(parsed.positionals).toEqual(["scan-01"]);
    expect(parsed.flags.confirm).toBe("abc\nStop-Service AIPScanner");
  });
});

describe("prefix punctuation", () => {
  it("reads `scanner: status` and `@scanner, errors` the way people type them", () => {
    expect(parseCommandLine("scanner: status prod")).toMatchObject({ name: "status", positionals: ["prod"] });
    expect(parseCommandLine("@scanner, errors scan-01 5")).toMatchObject({
      name: "errors",
      positionals: ["scan-01", "5"],
    });
    expect(parseCommandLine("scanner:status").name).toBe("scanner:status");
  });
});

describe("what is worth parsing", () => {
  it("keeps the words past the last parsed one as one positional, so they are still refused", () => {
    const flags = Array.from({ length: maxParsedWords }, (_, i) => `--f${i}`).join(" ");
    const parsed = parseCommandLine(`restart scan-01 ${flags} extra "quoted word"`);
    expect(parsed.positionals).toEqual(["scan-01", `--f${maxParsedWords - 1} extra "quoted word"`]);
  });

  it("stops at a word longer than any argument and keeps the rest of the line as it was typed", () => {
    const long = "x".repeat(maxParsedWordLength + 1);
    const parsed = parseCommandLine(`status scan-01 ${long} --json`);
    expect(parsed.positionals).toEqual(["scan-01", `${long} --json`]);
    expect(parsed.flags).toEqual({});
  });

  it("keeps only the start of an overlong command word", () => {
    expect(parseCommandLine(`${"s".repeat(10_000)} x`).name).toHaveLength(maxCommandWordLength);
  });

  it("reads Windows line ends as white space and drops them inside quotes", () => {
    expect(parseCommandLine('errors\r\nscan-01 "a\r\nb"')).toMatchObject({
      name: "errors",
      positionals: ["scan-01", "a\nb"],
    });
  });
});
