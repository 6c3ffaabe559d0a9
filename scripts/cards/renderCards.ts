import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { chromium } from "playwright-core";
import { teamsActivity } from "../../adapters/teams/cardMessage.js";
import { collectGallery } from "./replyGallery.js";
import { teamsHostConfig, teamsPageCss } from "./teamsHostConfig.js";
import { teamsDisabledMarkdownRules, teamsMarkdownOptions } from "./teamsMarkdown.js";

/**
 * `npm run render:cards [-- --out <dir>] [--only name,name]`: renders every reply
 * kind of the gallery as Teams shows it (the activity's text, its Adaptive Card
 * drawn by Microsoft's own `adaptivecards` renderer) in headless Chromium at 540 px,
 * one PNG per reply, plus the cards' JSON next to them. Uses Debian's chromium;
 * nothing is downloaded.
 */

/** What cardPage.js defines in the page. */
interface CardPage {
  setup(options: object, disabledRules: string[]): void;
  render(card: unknown, text: string, host: unknown, name: string): string[];
}

const { values } = parseArgs({
  options: {
    out: { type: "string", default: "build/cards" },
    only: { type: "string" },
    chromium: { type: "string", default: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
  },
});
const outDir = resolve(values.out ?? "build/cards");
const only = values.only ? new Set(values.only.split(",")) : undefined;

const require = createRequire(import.meta.url);
const rendererSource = await readFile(require.resolve("adaptivecards/dist/adaptivecards.min.js"), "utf8");
const markdownSource = await readFile(
  join(require.resolve("markdown-it/package.json"), "..", "dist/browser/markdown-it.umd.min.js"),
  "utf8",
);

const gallery = (await collectGallery()).filter((e) => !only || only.has(e.name));
await mkdir(outDir, { recursive: true });

const browser = await chromium.launch({
  executablePath: values.chromium,
  headless: true,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
  ],
});
const problems: string[] = [];
try {
  const page = await browser.newPage({ viewport: { width: 600, height: 400 }, deviceScaleFactor: 1 });
  await page.setContent(`<!doctype html><html><head><style>${teamsPageCss}</style></head><body></body></html>`);
  await page.addScriptTag({ content: rendererSource });
  await page.addScriptTag({ content: markdownSource });
  await page.addScriptTag({ content: await readFile(new URL("./cardPage.js", import.meta.url), "utf8") });
  await page.evaluate(
    ([options, rules]) => (globalThis as unknown as { scannerCards: CardPage }).scannerCards.setup(options, rules),
    [teamsMarkdownOptions, teamsDisabledMarkdownRules] as const,
  );
  for (const { name, reply } of gallery) {
    const activity = teamsActivity(reply);
    const card = activity.attachments?.[0]?.content;
    await writeFile(join(outDir, `${name}.json`), `${JSON.stringify(activity, null, 2)}\n`);
    const warnings = await page.evaluate(
      ([card, text, host, name]) =>
        (globalThis as unknown as { scannerCards: CardPage }).scannerCards.render(card, text, host, name),
      [card ?? null, card ? "" : (activity.text ?? ""), teamsHostConfig, name] as const,
    );
    for (const w of warnings) problems.push(`${name}: ${w}`);
    await page.locator("#message").screenshot({ path: join(outDir, `${name}.png`) });
    process.stdout.write(`${join(outDir, `${name}.png`)}\n`);
  }
} finally {
  await browser.close();
}
if (problems.length) {
  process.stderr.write(`The renderer reported:\n${problems.join("\n")}\n`);
  process.exitCode = 1;
}
