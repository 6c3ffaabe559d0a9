import { join } from "node:path";
import type { BuildOptions, Plugin } from "esbuild";

/**
 * What `npm run build` produces, in one place: each shipped program's entry point, output file, module
 * format and whether its npm dependencies are bundled in. Moving a program's sources means editing this list.
 */
export interface BuildTarget {
  /** `npm run build -- <name>` builds only this one. */
  name: "bot" | "bot-entry" | "agent" | "agent-mssql";
  entry: string;
  /** The file name inside the output folder (`dist/`). */
  outfile: string;
  /**
   * Both programs are CommonJS. The agent: a `.js` file copied alone into a folder without package.json is
   * CommonJS to Node, and loads without the module syntax detection an ESM `.js` would go through (a second
   * parse, ~15 MB more at start). The bot: Node 20 can cache the compiled code of a CommonJS script
   * (`vm.Script`), never of an ES module, and compiling was a third of a console start.
   */
  format: "esm" | "cjs";
  /**
   * The bot runs from an `npm ci --omit=dev` install (native SQLite, chat SDKs), so its packages stay in
   * node_modules; the agent is copied alone onto a scanner node, so everything it imports is inside.
   */
  bundleDependencies: boolean;
  /**
   * With `bundleDependencies: false`: packages bundled in all the same (with everything they import). Node
   * resolves and compiles a package file by file at start; bundled, the console's small pure-JavaScript
   * packages load as one parse (about half of `help`'s start-up was module loading).
   */
  bundledPackages?: readonly string[];
  /** Packages kept out of this bundle and loaded, when first imported, from a sibling output file instead. */
  siblings?: Readonly<Record<string, string>>;
  /**
   * Rewrite the bundle's `import("package")` calls (ES-module-only packages: vega) to this function, which the
   * entry that runs the bundle through `vm.Script` provides: code compiled by `vm.Script` cannot call `import()`
   * itself on Node 20 without an experimental flag.
   */
  dynamicImportVia?: string;
  /**
   * Minify (names of functions and classes kept, so stack traces still say where). Less code to parse at
   * every start and less source held in memory: the agent's idle RSS and the console's start-up.
   */
  minify?: boolean;
  /** Leave out zod's translated error messages (`z.locales`, unused: messages are English); half of zod's code. */
  withoutZodLocales?: boolean;
}

export const buildTargets: readonly BuildTarget[] = [
  {
    name: "bot-entry",
    entry: "src/runtime/codeCacheEntry.ts",
    outfile: "scanner-bot.cjs",
    format: "cjs",
    bundleDependencies: false,
  },
  {
    name: "bot",
    entry: "src/cli.ts",
    outfile: "scanner-bot-code.cjs",
    format: "cjs",
    bundleDependencies: false,
    // Pure JavaScript and loaded by every start. Native (better-sqlite3), large and lazily loaded (the chat
    // SDKs, pg, vega) packages stay in node_modules.
    bundledPackages: ["zod", "yaml", "commander", "p-queue", "fastest-levenshtein", "semver", "pino"],
    withoutZodLocales: true,
    minify: true,
    // A lazily imported module's packages stay inside its own (lazily run) module body in CommonJS output, so
    // the console does not load the Slack and Teams SDKs, PostgreSQL or metrics that only `run` needs.
    dynamicImportVia: "__scannerBotImport",
  },
  {
    name: "agent",
    entry: "agent/agentBundleEntry.ts",
    outfile: "scanner-bot-agent.js",
    format: "cjs",
    bundleDependencies: true,
    // The SQL Server client is three quarters of the agent's code and only a diagnosis uses it.
    siblings: { mssql: "./scanner-bot-agent-mssql.js" },
    withoutZodLocales: true,
    minify: true,
  },
  {
    name: "agent-mssql",
    entry: "agent/mssqlBundleEntry.cjs",
    outfile: "scanner-bot-agent-mssql.js",
    format: "cjs",
    bundleDependencies: true,
  },
];

/** Where `npm run build` writes, relative to the repository. */
export const distDirectory = "dist";

/**
 * Files copied next to the bundles: the PowerShell probe scripts (the agent code resolves `./scripts/` from the
 * file it is in), and the Windows installer with an example config, so the output folder is what a scanner node gets.
 */
export const copiedFiles: readonly { from: string; to: string }[] = [
  { from: "agent/powershell/scripts", to: "scripts" },
  { from: "scripts/windows/Install-ScannerBotAgent.ps1", to: "Install-ScannerBotAgent.ps1" },
  { from: "examples/agent.windows.yml", to: "agent.windows.yml" },
];

/** Marks the output folder as CommonJS, so the agent's `.js` bundles load the same there as copied alone. */
export const outputPackageJson = '{ "type": "commonjs" }\n';

/** The Node.js release line the bundles are compiled for (package.json `engines`). */
export const nodeTarget = "node20.19";

/** Resolves the named packages to sibling files, left for Node to load at run time. */
function siblingPlugin(siblings: Readonly<Record<string, string>>): Plugin {
  const names = Object.keys(siblings);
  const filter = new RegExp(`^(${names.map((n) => n.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")).join("|")})$`);
  return {
    name: "siblings",
    setup(build) {
      build.onResolve({ filter }, (args) => ({ path: siblings[args.path] ?? args.path, external: true }));
    },
  };
}

/** The name of the package a bare import specifier names (`@scope/name/sub` → `@scope/name`). */
function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

/**
 * Bundles the named packages and whatever they import; every other package stays external. A package that
 * is only a dependency of a bundled one is bundled too, because it is reached from inside node_modules.
 */
function bundledPackagesPlugin(names: readonly string[]): Plugin {
  const bundled = new Set(names);
  return {
    name: "bundled-packages",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith("node:") || args.kind === "entry-point") return undefined;
        if (bundled.has(packageName(args.path)) || /[\\/]node_modules[\\/]/.test(args.importer)) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
}

/** zod's `locales` namespace as an empty module; the English messages zod configures itself with stay. */
const withoutZodLocales: Plugin = {
  name: "without-zod-locales",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]/.test(args.importer) ? { path: "zod-locales", namespace: "empty" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "export {};", loader: "js" }));
  },
};

/** esbuild options for one target, with the release embedded where the sources read `__SCANNER_BOT_BUILD__`. */
export function esbuildOptions(
  target: BuildTarget,
  build: { version: string; revision: string },
  outDir: string,
): BuildOptions {
  const banner = [`// scanner-bot ${build.version} (${build.revision}): built by scripts/build, do not edit.`];
  if (target.format === "esm") {
    // Bundled CommonJS code calls require(); ESM has none of its own.
    banner.push(
      'import { createRequire as __scannerBotCreateRequire } from "node:module";',
      "const require = __scannerBotCreateRequire(import.meta.url);",
    );
  } else {
    // CommonJS has no import.meta; the sources use import.meta.url to find files next to themselves.
    banner.push('var __scannerBotModuleUrl = require("node:url").pathToFileURL(__filename).href;');
    if (target.dynamicImportVia) {
      // Run by Node's own loader (`node dist/scanner-bot-code.cjs`), import() works where it stands.
      banner.push(
        `var ${target.dynamicImportVia} = globalThis[Symbol.for("scanner-bot.import")] || ((specifier) => import(specifier));`,
      );
    }
  }
  return {
    entryPoints: [target.entry],
    outfile: join(outDir, target.outfile),
    bundle: true,
    platform: "node",
    format: target.format,
    target: nodeTarget,
    packages: target.bundleDependencies || target.bundledPackages ? "bundle" : "external",
    define: {
      __SCANNER_BOT_BUILD__: JSON.stringify(build),
      ...(target.format === "cjs" ? { "import.meta.url": "__scannerBotModuleUrl" } : {}),
    },
    plugins: [
      ...(target.siblings ? [siblingPlugin(target.siblings)] : []),
      ...(target.withoutZodLocales ? [withoutZodLocales] : []),
      ...(!target.bundleDependencies && target.bundledPackages ? [bundledPackagesPlugin(target.bundledPackages)] : []),
    ],
    banner: { js: banner.join("\n") },
    legalComments: "none",
    // One non-ASCII character makes V8 keep the whole file's source as UTF-16: twice the memory (2.4 MB for
    // the agent). Escaped, the source stays one byte per character.
    charset: "ascii",
    ...(target.minify ? { minify: true, keepNames: true } : {}),
    logLevel: "warning",
  };
}
