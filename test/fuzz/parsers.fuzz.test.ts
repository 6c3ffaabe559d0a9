import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createButtonValueCodec } from "../../adapters/slack/buttonValue.js";
import { textFromSlack } from "../../adapters/slack/incomingText.js";
import { cardActionDataSchema } from "../../adapters/teams/cardAction.js";
import { htmlToText } from "../../adapters/teams/messageText.js";
import { parseIplog } from "../../agent/powershell/iplogReader.js";
import { parseProbeOutput, rawStatusSchema } from "../../agent/powershell/probeOutputs.js";
import { parseCommandLine, tokenize } from "../../src/routing/commandLine.js";
import { logEntrySchema } from "../../src/wire/agentApi.js";

/**
 * Property tests for the parsers that read text nobody controls: the command
 * line, MSIPScanner.iplog lines, Slack markup and Teams HTML. Bounded runs,
 * a random seed per local run (printed by fast-check on failure), a fixed one
 * under CI (test/support/fuzzSeed.ts).
 */

/** Text that looks like what arrives: mostly plain, sometimes markup, quotes, control and look-alike characters. */
const messy = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        "status",
        "/scanner",
        "@scanner",
        " ",
        "\n",
        "\r\n",
        "\t",
        '"',
        "'",
        "\u201c",
        "\u201d",
        "--",
        "--count=",
        "=",
        "5",
        "scan-01",
        "\u0000",
        "\u202e",
        "\u2011",
        "\ud800",
        "<@U0BOT>",
        "<#C01|ops>",
        "<https://x.test|x>",
        "&lt;",
        "&amp;",
        "<br>",
        "<p>",
        "</p>",
        "<at>bot</at>",
        "&#x1F600;",
        "&#99999999;",
        "<",
        ">",
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join("")),
);

const word = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,15}$/);

describe("command line parser", () => {
  it("never throws; the name is one lower-case word and the flags are well-formed", () => {
    fc.assert(
      fc.property(messy, (line) => {
        const parsed = parseCommandLine(line);
        expect(parsed.name).toBe(parsed.name.toLowerCase());
        expect(parsed.name).not.toMatch(/\s/);
        for (const key of Object.keys(parsed.flags)) expect(key).toMatch(/^[a-z][a-z0-9-]*$/);
        // A well-formed flag never leaks into the words; a malformed one (`--json<#C01|ops>`) stays a word,
        // so the command names it in its answer instead of silently dropping it.
        for (const p of parsed.positionals) expect(p).not.toMatch(/^--[a-z][a-z0-9-]*(?:=[\s\S]*)?$/i);
      }),
      { numRuns: 1000 },
    );
  });

  it("keeps a malformed flag as a word (found by the property above)", () => {
    const parsed = parseCommandLine("status\r\n--status<#C01|ops>");
    expect(parsed).toMatchObject({ name: "status", positionals: ["--status<#C01|ops>"], flags: {} });
  });

  it("reads back the words it was given, with or without the /scanner prefix", () => {
    fc.assert(
      fc.property(
        word,
        fc.array(word, { maxLength: 6 }),
        fc.constantFrom("", "/scanner ", "scanner ", "@scanner ", "@scanner-bot\t"),
        (name, args, prefix) => {
          const parsed = parseCommandLine(`${prefix}${name.toUpperCase()} ${args.join("  ")}`);
          expect(parsed.name).toBe(name);
          expect(parsed.positionals).toEqual(args);
          expect(tokenize(args.map((a) => `"${a} x"`).join(" "))).toEqual(args.map((a) => `${a} x`));
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe("iplog parser", () => {
  const fragments = fc.constantFrom(
    "2026-11-25 06:36:12.104 ",
    "11/25/2026 6:36:12 PM ",
    "2026-13-45 99:99:99 ",
    "9999-12-31T23:59:59.999999Z ",
    "Error   ",
    "error|",
    "Fatal ",
    "Info    ",
    "[MSIP.Scanner] ",
    "System.Data.SqlClient.SqlException: Login failed",
    " ---> System.ComponentModel.Win32Exception: ",
    "   at Microsoft.InformationProtection.Scanner.Run()",
    "\n",
    "\r\n",
    "\u0000",
    "",
  );
  const logText = fc.oneof(
    fc.string({ maxLength: 400 }),
    fc.array(fragments, { maxLength: 80 }).map((parts) => parts.join("")),
  );

  it("never throws on any text and only returns schema-valid error entries", () => {
    fc.assert(
      fc.property(logText, (text) => {
        for (const entry of parseIplog(text, "C:\\Logs\\MSIPScanner.iplog")) {
          expect(logEntrySchema.safeParse(entry).success).toBe(true);
          expect(entry.message.length).toBeGreaterThan(0);
          expect(entry.level).toMatch(/^(error|fatal|critical)$/i);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("finds every error line it is given, whatever surrounds it", () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[A-Za-z ]{1,40}$/), { minLength: 1, maxLength: 20 }), (messages) => {
        const lines = messages.map((m, i) => `2026-11-25 06:${String(i).padStart(2, "0")}:00.000 Error   ${m}.`);
        const entries = parseIplog(lines.join("\r\n"), "MSIPScanner.iplog");
        expect(entries.map((e) => e.message)).toEqual(messages.map((m) => `${m}.`.trim()));
      }),
      { numRuns: 300 },
    );
  });
});

describe("chat text extraction", () => {
  const plain = fc.stringMatching(/^[A-Za-z0-9 .,:;!?()'"_-]{0,80}$/);

  it("Slack: never throws, and removes exactly the bot's mention from plain text", () => {
    fc.assert(
      fc.property(messy, (text) => {
        expect(typeof textFromSlack(text, "U0BOT")).toBe("string");
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(plain, (text) => {
        // What follows the mention starts with a word: `<@bot>: status` drops the ': ' on purpose.
        expect(textFromSlack(`<@U0BOT> x${text}`, "U0BOT")).toBe(`x${text}`.trim());
        const escaped = text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
        expect(textFromSlack(escaped)).toBe(text.trim());
      }),
      { numRuns: 500 },
    );
  });

  it("Teams: never throws, strips tags and decodes entities back to the typed text", () => {
    fc.assert(
      fc.property(messy, (html) => {
        const text = htmlToText(html);
        expect(text).not.toMatch(/<br\s*\/?>|<\/p>/i);
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(plain, (text) => {
        const escaped = text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
        expect(htmlToText(`<p><at>scanner</at> ${escaped}</p>`)).toBe(`scanner ${text}`.trim());
      }),
      { numRuns: 500 },
    );
  });
});

describe("probe output", () => {
  it("any stdout is typed data or a probe_failed error with a short message, never a throw", () => {
    const stdout = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.json().map((j) => `WARNING: banner\r\n{"ok":true,"data":${j}}`),
      fc.json().map((j) => `{"ok":false,"error":${j}}`),
      fc.constantFrom("", "{", '{"ok":', "\uFEFF{}", '{"ok":true}', "null"),
    );
    fc.assert(
      fc.property(stdout, (out) => {
        const result = parseProbeOutput("status", out, rawStatusSchema);
        if (!result.ok) {
          expect(result.error.code).toBe("probe_failed");
          expect(result.error.userMessage.length).toBeLessThan(500);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("button payloads", () => {
  it("Slack: only the bot's own values decode, to exactly the line that was encoded", () => {
    const codec = createButtonValueCodec("xoxb-0000000000-fuzz-token");
    const line = fc.stringMatching(/^[a-z]{2,10}( [A-Za-z0-9._-]{1,20}){0,3}$/);
    fc.assert(
      fc.property(line, fc.string({ maxLength: 80 }), (command, junk) => {
        expect(codec.decode(codec.encode(command))?.line).toBe(command);
        expect(codec.decode(junk)).toBeUndefined();
        expect(codec.decode(`${codec.encode(command)}${junk.length ? junk : "x"}`)).toBeUndefined();
      }),
      { numRuns: 500 },
    );
  });

  it("Teams: crafted card data is either one bounded line or refused, never a throw", () => {
    fc.assert(
      fc.property(fc.anything(), messy, (value, text) => {
        for (const data of [value, { scannerCommand: text }, { scannerCommand: value, confirmed: value }]) {
          const parsed = cardActionDataSchema.safeParse(data);
          if (parsed.success) {
            expect(parsed.data.scannerCommand).not.toMatch(/[\r\n]/);
            expect(parsed.data.scannerCommand.length).toBeLessThanOrEqual(500);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
