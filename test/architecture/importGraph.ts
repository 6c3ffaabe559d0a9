import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, posix, relative } from "node:path";

/** One source file's imports: relative ones resolved to repository paths, bare ones kept as package names. */
export interface SourceImports {
  readonly file: string;
  readonly local: readonly string[];
  readonly packages: readonly string[];
}

/** A rule broken by one import, in words a reviewer can act on. */
export interface Violation {
  readonly file: string;
  readonly imports: string;
  readonly rule: string;
}

// Static imports, re-exports, `import("…")` type expressions and dynamic imports, type-only ones included:
// a circle through types is still a circle a reader has to untangle.
const importSpecifier = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)["']([^"']+)["']/gm;

/** Reads every `.ts` file under the given top-level folders of `root`. */
export function readSourceTree(root: string, folders: readonly string[]): Map<string, string> {
  const texts = new Map<string, string>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith(".ts")) texts.set(relative(root, path).split("\\").join("/"), readFileSync(path, "utf8"));
    }
  };
  for (const folder of folders) walk(join(root, folder));
  return texts;
}

/** Resolves each file's import specifiers against the tree (`./x.js` → `dir/x.ts`). */
export function resolveImports(texts: ReadonlyMap<string, string>): SourceImports[] {
  return [...texts].map(([file, text]) => {
    const local: string[] = [];
    const packages: string[] = [];
    for (const match of text.matchAll(importSpecifier)) {
      const spec = match[1] ?? "";
      if (spec.startsWith(".")) {
        const target = posix.normalize(posix.join(dirname(file), spec)).replace(/\.js$/, ".ts");
        local.push(target);
      } else if (!spec.startsWith("node:")) {
        packages.push(spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : (spec.split("/")[0] ?? spec));
      }
    }
    return { file, local, packages };
  });
}

/** Every import circle among local files (strongly connected components with more than one file, or a self-import). */
export function findCircles(graph: readonly SourceImports[]): string[][] {
  const edges = new Map(graph.map((g) => [g.file, g.local]));
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!edges.has(w)) continue;
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string | undefined;
      do {
        w = stack.pop();
        if (w === undefined) break;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (edges.get(v) ?? []).includes(v)) circles.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return circles;
}

const chatSdks = /^(@slack\/|botbuilder|botframework-|@microsoft\/agents-)/;
// What a Windows scanner node must not need: chat SDKs, the bot's store drivers, its queue and metrics, a compiler.
const botOnlyPackages =
  /^(better-sqlite3|pg|p-queue|prom-client|@slack\/.*|botbuilder|botframework-.*|tsx|typescript)$/;
// The assembly: the CLI entry and the runtime wire adapters to the core, so they alone may import one.
const assembly = /^src\/(cli\.ts|runtime\/)/;

/** The layering rules: the agent behind its wall, the core free of adapters, adapters free of each other. */
export function findViolations(graph: readonly SourceImports[]): Violation[] {
  const violations: Violation[] = [];
  const add = (file: string, imports: string, rule: string) => violations.push({ file, imports, rule });
  for (const { file, local, packages } of graph) {
    const agentSide = /^(agent|src\/wire|src\/foundation)\//.test(file);
    for (const target of local) {
      if (file.startsWith("agent/") && !/^(agent|src\/wire|src\/foundation)\//.test(target)) {
        add(file, target, "the node agent imports only agent/, src/wire/ and src/foundation/");
      }
      if (/^src\/(wire|foundation)\//.test(file) && !/^src\/(wire|foundation)\//.test(target)) {
        add(file, target, "src/wire/ and src/foundation/ import nothing else of ours (the agent shares them)");
      }
      if (/^(src|commands)\//.test(file) && !assembly.test(file) && target.startsWith("adapters/")) {
        add(file, target, "commands and the core never import an adapter (only src/cli.ts and src/runtime/ wire them)");
      }
      const platform = file.match(/^adapters\/([^/]+)\//)?.[1];
      const targetPlatform = target.match(/^adapters\/([^/]+)\//)?.[1];
      if (platform && targetPlatform && platform !== targetPlatform) {
        add(file, target, "adapters never import each other");
      }
    }
    for (const name of packages) {
      if (agentSide && botOnlyPackages.test(name)) {
        add(file, name, "the agent's code uses no chat SDK, no bot store driver, no bot-only service and no compiler");
      }
      if (/^(src|commands)\//.test(file) && chatSdks.test(name)) add(file, name, "chat SDKs stay inside adapters/");
    }
  }
  return violations;
}
