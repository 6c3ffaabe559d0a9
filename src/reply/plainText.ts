import type { Block, Reply, Status } from "./reply.js";

const badge: Record<Status, string> = { ok: "[ok]", warn: "[warn]", error: "[ERROR]", info: "[info]" };

/** Pads cells so columns line up in a monospace console. */
function renderTable(columns: string[], rows: { cells: string[]; status?: Status }[], totalRows?: number): string {
  const withStatus = rows.some((r) => r.status);
  const header = withStatus ? ["", ...columns] : columns;
  const body = rows.map((r) => (withStatus ? [r.status ? badge[r.status] : "", ...r.cells] : r.cells));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd();
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
  }
}

/** Renders a reply as readable plain text (console, logs, text fallbacks). */
export function renderPlainText(reply: Reply): string {
  if (reply.blocks.length === 0) return reply.text;
  return reply.blocks.map(renderBlock).join("\n\n");
}
