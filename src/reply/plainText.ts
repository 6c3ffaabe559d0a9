import { type Block, presentedBlocks, type Reply, type Status } from "./reply.js";

const badge: Record<Status, string> = { ok: "[ok]", warn: "[warn]", error: "[ERROR]", info: "[info]" };

/** A table row wider than this wraps its widest cells onto more lines, so a terminal shows it unbroken. */
const maxTableWidth = 110;
/** No column is squeezed below this, nor below its longest word (up to `maxUnbrokenWord`), when a table must narrow. */
const minColumnWidth = 10;
const maxUnbrokenWord = 32;

/** Narrows the widest columns that can give room until the row fits `maxTableWidth`. */
function fitWidths(natural: number[], floors: number[]): number[] {
  const widths = [...natural];
  const total = () => widths.reduce((sum, w) => sum + w, 0) + 2 * (widths.length - 1);
  while (total() > maxTableWidth) {
    let widest = -1;
    for (const [i, w] of widths.entries()) {
      if (w > (floors[i] ?? 0) && (widest < 0 || w > (widths[widest] ?? 0))) widest = i;
    }
    if (widest < 0) break;
    widths[widest] = (widths[widest] ?? 0) - 1;
  }
  return widths;
}

/** Breaks a cell into lines of at most `width` characters, at spaces where it can. */
function wrapCell(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text;
  while (rest.length > width) {
    const space = rest.lastIndexOf(" ", width);
    const cut = space > 0 ? space : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  lines.push(rest);
  return lines;
}

/** Pads cells so columns line up in a monospace console; wide cells wrap within their column. */
function renderTable(columns: string[], rows: { cells: string[]; status?: Status }[], totalRows?: number): string {
  const withStatus = rows.some((r) => r.status);
  const header = withStatus ? ["", ...columns] : columns;
  const body = rows.map((r) => (withStatus ? [r.status ? badge[r.status] : "", ...r.cells] : r.cells));
  const natural = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? "").length)));
  const floors = header.map((h, i) => {
    const words = [h, ...body.map((cells) => cells[i] ?? "")].flatMap((c) => c.split(" ").map((w) => w.length));
    return Math.min(natural[i] ?? 0, Math.max(minColumnWidth, Math.min(maxUnbrokenWord, Math.max(...words))));
  });
  const widths = fitWidths(natural, floors);
  const line = (cells: string[]) => {
    const wrapped = header.map((_, i) => wrapCell(cells[i] ?? "", widths[i] ?? 0));
    const height = Math.max(...wrapped.map((w) => w.length));
    return Array.from({ length: height }, (_, row) =>
      wrapped
        .map((w, i) => (w[row] ?? "").padEnd(widths[i] ?? 0))
        .join("  ")
        .trimEnd(),
    ).join("\n");
  };
  const out = [line(header), line(widths.map((w) => "-".repeat(w))), ...body.map(line)];
  if (totalRows !== undefined && totalRows > rows.length) out.push(`… ${totalRows - rows.length} more rows`);
  return out.join("\n");
}

function renderBlock(block: Block): string {
  switch (block.kind) {
    case "heading":
      return `== ${block.text} ==`;
    case "text":
      return block.text;
    case "fields": {
      const width = Math.max(...block.fields.map((f) => f.label.length));
      return block.fields
        .map(
          (f) => `${f.label.padEnd(width)} : ${f.value}${f.status && f.status !== "ok" ? ` ${badge[f.status]}` : ""}`,
        )
        .join("\n");
    }
    case "table":
      return renderTable(block.columns, block.rows, block.totalRows);
    case "status":
      return `${badge[block.status]} ${block.text}`;
    case "code":
      return block.text
        .split("\n")
        .map((l) => `    ${l}`)
        .join("\n");
    case "list":
      return block.items.map((item, i) => (block.ordered ? `${i + 1}. ${item}` : `- ${item}`)).join("\n");
    case "link":
      return `${block.text}: ${block.url}`;
    case "actions":
      return `Next: ${block.actions.map((a) => `[${a.label}: ${a.command}${a.style === "danger" ? " (asks to confirm)" : ""}]`).join(" ")}`;
    case "divider":
      return "----";
    case "image":
      return `[chart] ${block.altText}`;
  }
}

/** Renders a reply as readable plain text (console, logs, text fallbacks). */
export function renderPlainText(reply: Reply): string {
  const blocks = presentedBlocks(reply);
  if (blocks.length === 0) return reply.text;
  return blocks.map(renderBlock).join("\n\n");
}
