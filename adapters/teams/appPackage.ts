import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import AdmZip from "adm-zip";
import { z } from "zod";
import { BotError } from "../../src/foundation/botError.js";

/**
 * Builds the Teams app package (the zip uploaded in Teams or the admin
 * center): manifest.json with this deployment's app id and domain, plus the
 * two icons. https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package
 */

/** manifest/teams/, next to this repository's package.json. */
export const defaultManifestDir = new URL("../../manifest/teams/", import.meta.url);

const guid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, "a GUID (the app id)");

/** What a deployment contributes to the package. */
export const appPackageSettingsSchema = z.object({
  appId: guid,
  publicDomain: z
    .string()
    .regex(/^(?!https?:)[a-z0-9.-]+\.[a-z]{2,}$/i, "a public host name such as bot.contoso.com, without https://"),
  version: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, "a version like 1.2.3")
    .default("0.1.0"),
});
export type AppPackageSettings = z.input<typeof appPackageSettingsSchema>;

/** The parts of the manifest the packager rewrites; everything else passes through unchanged. */
const manifestSchema = z
  .object({
    manifestVersion: z.string(),
    id: z.string(),
    version: z.string(),
    developer: z.object({ websiteUrl: z.string(), privacyUrl: z.string(), termsOfUseUrl: z.string() }).loose(),
    bots: z.array(z.object({ botId: z.string() }).loose()),
    composeExtensions: z.array(z.object({ botId: z.string() }).loose()),
    validDomains: z.array(z.string()),
  })
  .loose();
export type TeamsManifest = z.infer<typeof manifestSchema>;

/** The manifest with this deployment's ids and domain filled in. */
export function deploymentManifest(template: unknown, settings: AppPackageSettings): TeamsManifest {
  const parsed = appPackageSettingsSchema.safeParse(settings);
  if (!parsed.success) {
    throw new BotError(
      "config_invalid",
      `Cannot build the Teams package: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  }
  const manifest = manifestSchema.parse(template);
  const { appId, publicDomain, version } = parsed.data;
  const site = `https://${publicDomain}`;
  return {
    ...manifest,
    id: appId,
    version,
    developer: {
      ...manifest.developer,
      websiteUrl: `${site}/`,
      privacyUrl: `${site}/privacy`,
      termsOfUseUrl: `${site}/terms`,
    },
    bots: manifest.bots.map((bot) => ({ ...bot, botId: appId })),
    composeExtensions: manifest.composeExtensions.map((extension) => ({ ...extension, botId: appId })),
    validDomains: [publicDomain],
  };
}

/** Builds the upload zip in memory: manifest.json, color.png, outline.png at the root (Teams requires that layout). */
export function buildAppPackage(settings: AppPackageSettings, manifestDir: URL | string = defaultManifestDir): Buffer {
  const dir = manifestDir instanceof URL ? fileURLToPath(manifestDir) : manifestDir;
  const template: unknown = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  const manifest = deploymentManifest(template, settings);
  const zip = new AdmZip();
  zip.addFile("manifest.json", Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, "utf8"));
  zip.addFile("color.png", readFileSync(join(dir, "color.png")));
  zip.addFile("outline.png", readFileSync(join(dir, "outline.png")));
  return zip.toBuffer();
}
