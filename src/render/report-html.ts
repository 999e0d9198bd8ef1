import type { Report } from "../query/index.js";
import type { Block } from "./blocks.js";
import { isEvidenceColumn } from "./blocks.js";
import type { ReportSection } from "./report-markdown.js";
import { reportSections, reportTitle } from "./report-markdown.js";

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f23}
h1{font-size:1.5rem}h2{border-bottom:1px solid #d0d7de;margin-top:2rem}h3{font-size:1rem}
table{border-collapse:collapse;margin:.5rem 0}th,td{border:1px solid #d0d7de;padding:.25rem .5rem;
text-align:left;vertical-align:top}th{background:#f6f8fa}code{font-size:12px;background:#f6f8fa}
dt{font-weight:600}dd{margin:0 0 .4rem 1rem}.empty{color:#57606a;font-style:italic}`;

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Every string from the logs goes through here: a key alias or a session name may carry markup. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

function cell(value: string, evidence: boolean): string {
  return evidence && value !== "-" ? `<code>${escapeHtml(value)}</code>` : escapeHtml(value);
}

function htmlBlock(block: Block): string {
  const title = block.title ? `<h3>${escapeHtml(block.title)}</h3>\n` : "";
  if (block.kind === "list") {
    if (block.items.length === 0) return `${title}<p class="empty">none</p>`;
    return `${title}<ul>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join("")}</ul>`;
  }
  if (block.kind === "fields") {
    const rows = block.fields.map(
      ([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`,
    );
    return `${title}<dl>${rows.join("")}</dl>`;
  }
  const { headers, rows } = block.table;
  if (rows.length === 0) return `${title}<p class="empty">${escapeHtml(block.empty ?? "none")}</p>`;
  const evidence = headers.map(isEvidenceColumn);
  const head = `<tr>${headers.map((header) => `<th>${escapeHtml(header)}</th>`).join("")}</tr>`;
  const body = rows
    .map(
      (row) => `<tr>${row.map((value, i) => `<td>${cell(value, evidence[i] ?? false)}</td>`).join("")}</tr>`,
    )
    .join("\n");
  return `${title}<table><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}

/** A single self-contained page: inline CSS, no scripts, no external assets. */
export function reportHtml(report: Report, sections: ReportSection[] = reportSections(report)): string {
  const title = escapeHtml(reportTitle(report));
  const parts = sections.map(
    (section) =>
      `<section>\n<h2>${escapeHtml(section.title)}</h2>\n${section.blocks.map(htmlBlock).join("\n")}\n</section>`,
  );
  return [
    "<!DOCTYPE html>",
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${title}</title><style>${STYLE}</style></head>`,
    `<body>\n<h1>${title}</h1>`,
    ...parts,
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
