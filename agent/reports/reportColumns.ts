/**
 * The DetailedReport header, mapped by name: column order and presence vary
 * by scanner version, and DLP adds columns. Names are compared without case,
 * spaces or punctuation, so `File Name`, `FileName` and `file_name` match.
 * Columns that could carry file content (`Matched String`, the matched types
 * string) or people and permissions (Owner, Last Modified By, SDDL) are known
 * so they are not reported as unknown, but their values are never read.
 */

/** The columns the digest reads. */
export const readColumns = {
  repository: "Repository",
  fileName: "File Name",
  status: "Status",
  comment: "Comment",
  currentLabel: "Current Label",
  appliedLabel: "Applied Label",
  conditionName: "Condition Name",
  informationTypeName: "Information Type Name",
  action: "Action",
  protectionAfter: "Protection After Action",
  dlpRuleName: "DLP Rule Name",
} as const;
export type ReadColumn = keyof typeof readColumns;

/** Known columns whose values are deliberately left alone. */
const ignoredColumns = [
  "Current Label ID",
  "Applied Label ID",
  "Matched Information Types String",
  "Matched String",
  "Last Modified",
  "Last Modified By",
  "Protection Before Action",
  "DLP Mode",
  "DLP Status",
  "DLP Comment",
  "DLP Actions",
  "Owner",
  "Current NTFS Permissions (SDDL)",
  "Applied NTFS Permissions (SDDL)",
  "NTFS permissions type",
];

const dlpColumns = ["DLP Mode", "DLP Status", "DLP Comment", "DLP Rule Name", "DLP Actions"];

const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

const byNormalName = new Map<string, ReadColumn>(
  Object.entries(readColumns).map(([key, name]) => [normalise(name), key as ReadColumn]),
);
const ignoredNames = new Set(ignoredColumns.map(normalise));
const dlpNames = new Set(dlpColumns.map(normalise));

/** Where each read column is in a row (-1 when absent), and what else the header holds. */
export interface ColumnMap {
  index: Record<ReadColumn, number>;
  width: number;
  dlp: boolean;
  unknown: string[];
}

/** Maps a header row; null when it lacks the columns every DetailedReport has. */
export function mapColumns(header: readonly string[]): ColumnMap | null {
  const index = Object.fromEntries(Object.keys(readColumns).map((k) => [k, -1])) as Record<ReadColumn, number>;
  const unknown: string[] = [];
  let dlp = false;
  header.forEach((raw, i) => {
    const name = normalise(raw);
    const column = byNormalName.get(name);
    if (column && index[column] === -1) index[column] = i;
    if (dlpNames.has(name)) dlp = true;
    if (!column && !ignoredNames.has(name) && name !== "" && unknown.length < 10) unknown.push(raw.trim().slice(0, 60));
  });
  if (index.fileName === -1 || index.status === -1) return null;
  return { index, width: header.length, dlp, unknown };
}
