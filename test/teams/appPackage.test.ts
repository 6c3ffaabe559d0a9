import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";
import AdmZip from "adm-zip";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { buildAppPackage } from "../../adapters/teams/appPackage.js";
import { BotError } from "../../src/foundation/botError.js";

const appId = "5f1c9a2e-7b3d-4c8e-a6f0-2d4b8e1c3a7f";
const template: unknown = JSON.parse(
  readFileSync(new URL("../../manifest/teams/manifest.json", import.meta.url), "utf8"),
);

/** The limits Teams enforces on upload (manifest schema v1.22). */
const manifestRules = z.object({
  manifestVersion: z.literal("1.22"),
  $schema: z.literal("https://developer.microsoft.com/json-schemas/teams/v1.22/MicrosoftTeams.schema.json"),
  name: z.object({ short: z.string().max(30), full: z.string().max(100) }),
  description: z.object({ short: z.string().max(80), full: z.string().max(4000) }),
  accentColor: z.string().regex(/^#[0-9A-F]{6}$/i),
  bots: z
    .array(
      z.object({
        scopes: z.array(z.enum(["personal", "team", "groupChat"])).length(3),
        commandLists: z.array(
          z.object({
            commands: z
              .array(z.object({ title: z.string().max(32), description: z.string().max(128) }))
              .min(1)
              .max(10),
          }),
        ),
      }),
    )
    .length(1),
  composeExtensions: z.array(
    z.object({
      commands: z.array(
        z.object({
          id: z.string(),
          type: z.literal("action"),
          title: z.string().max(32),
          context: z.array(z.literal("message")),
        }),
      ),
    }),
  ),
  validDomains: z.array(z.string().regex(/^[^/:]+$/)),
});

/** Width, height and RGBA pixels of a non-interlaced 8-bit RGBA PNG without filtering (as our generator writes). */
function readPng(data: Buffer): { width: number; height: number; pixels: Buffer } {
  expect(data.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < data.length) {
    const length = data.readUInt32BE(offset);
    const type = data.toString("ascii", offset + 4, offset + 8);
    const body = data.subarray(offset + 8, offset + 8 + length);
    if (type === "IHDR") {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      expect([...body.subarray(8, 10)]).toEqual([8, 6]);
    }
    if (type === "IDAT") idat.push(body);
    offset += 12 + length;
  }
  return { width, height, pixels: inflateSync(Buffer.concat(idat)) };
}

describe("Teams app package", () => {
  it("follows the manifest schema's limits", () => {
    const parsed = manifestRules.safeParse(template);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    const titles = manifestRules.parse(template).bots[0]?.commandLists[0]?.commands.map((c) => c.title);
    expect(titles).toEqual(["status", "diagnose", "errors", "explain", "help"]);
  });

  it("builds a zip with the deployment's app id and domain and both icons", () => {
    const zip = new AdmZip(buildAppPackage({ appId, publicDomain: "scanner-bot.contoso.com", version: "1.4.0" }));
    expect(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort(),
    ).toEqual(["color.png", "manifest.json", "outline.png"]);
    const manifest = JSON.parse(zip.readAsText("manifest.json")) as Record<string, unknown>;
    expect(manifest).toMatchObject({
      id: appId,
      version: "1.4.0",
      bots: [{ botId: appId }],
      composeExtensions: [{ botId: appId }],
      validDomains: ["scanner-bot.contoso.com"],
      developer: { websiteUrl: "https://scanner-bot.contoso.com/" },
    });
    expect(JSON.stringify(manifest)).not.toContain("00000000-0000-0000-0000-000000000000");

    const color = readPng(zip.readFile("color.png") ?? Buffer.alloc(0));
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = readPng(zip.readFile("outline.png") ?? Buffer.alloc(0));
    expect([outline.width, outline.height]).toEqual([32, 32]);
    // Outline: white wherever anything is drawn, transparent elsewhere, and something is drawn.
    let drawn = 0;
    for (let y = 0; y < 32; y++) {
      for (let x = 0; x < 32; x++) {
        const at = y * (1 + 32 * 4) + 1 + x * 4;
        const [r, g, b, a] = outline.pixels.subarray(at, at + 4);
        if (a === 0) continue;
        drawn++;
        expect([r, g, b]).toEqual([255, 255, 255]);
      }
    }
    expect(drawn).toBeGreaterThan(50);
  });

  it("refuses to package without a real app id or with a URL for a domain", () => {
    expect(() => buildAppPackage({ appId: "", publicDomain: "bot.contoso.com" })).toThrow(BotError);
    expect(() => buildAppPackage({ appId, publicDomain: "https://bot.contoso.com" })).toThrow(/without https/);
  });
});
