/**
 * Repository paths as chat shows them: `\\fs01.contoso.com\Finance` reads as
 * `fs01\Finance`, a SharePoint URL as `contoso: sites/Legal/Shared Documents`,
 * and anything longer than a table cell keeps its start and its end.
 */

const maxShown = 48;

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** A readable short form of a repository path or URL. */
export function shortRepositoryPath(path: string): string {
  let short = path.trim();
  const unc = /^\\\\([^\\]+)\\(.*)$/.exec(short);
  const url = /^https?:\/\/([^/]+)\/?(.*)$/i.exec(short);
  if (unc) {
    const host = (unc[1] ?? "").split(".")[0] ?? "";
    short = `${host}\\${unc[2] ?? ""}`;
  } else if (url) {
    const host = (url[1] ?? "").split(".")[0] ?? "";
    short = `${host}: ${decoded(url[2] ?? "")}`;
  }
  short = short.replace(/[\\/]+$/, "");
  if (short.length <= maxShown) return short;
  const head = short.slice(0, 18);
  return `${head}…${short.slice(-(maxShown - head.length - 1))}`;
}

/** Short forms for a set of paths; where two paths would read alike, both keep their full form. */
export function shortRepositoryPaths(paths: readonly string[]): Map<string, string> {
  const short = new Map(paths.map((p) => [p, shortRepositoryPath(p)]));
  const seen = new Map<string, number>();
  for (const s of short.values()) seen.set(s.toLowerCase(), (seen.get(s.toLowerCase()) ?? 0) + 1);
  for (const [path, s] of short) if ((seen.get(s.toLowerCase()) ?? 0) > 1) short.set(path, path);
  return short;
}

/** Whether a user's `--repository` text names this repository (a part of its full or short path, any case). */
export function repositoryMatches(path: string, wanted: string): boolean {
  const needle = wanted.trim().toLowerCase().replace(/\//g, "\\");
  if (needle === "") return true;
  const full = path.toLowerCase().replace(/\//g, "\\");
  return full.includes(needle) || shortRepositoryPath(path).toLowerCase().replace(/\//g, "\\").includes(needle);
}
