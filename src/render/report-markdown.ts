import type { Report } from "../query/index.js";
import type { Block } from "./blocks.js";
import { coverageBlock } from "./coverage-block.js";
import { findingsBlocks } from "./findings.js";
import { gapsBlocks } from "./gaps.js";
import { keyHistoryBlocks } from "./key-report.js";
import { reachBlocks } from "./reach.js";
import { timelineBlocks } from "./timeline.js";
import { usageBlocks } from "./usage.js";
import { whoCanBlocks } from "./who-can.js";

/** One titled part of the report; both the Markdown and the HTML renderers lay out the same sections. */
export interface ReportSection {
  title: string;
  blocks: Block[];
}

/** Columns that hold CloudTrail eventIds: shown as code so that they can be copied and searched verbatim. */
export function isEvidenceColumn(header: string): boolean {
  return /event ?ids?$|opened by/i.test(header);
}

export function reportTitle(report: Report): string {
  return `keytrail report: ${report.header.asked}`;
}

function headerSection(report: Report): ReportSection {
  const { header } = report;
  return {
    title: "Question",
    blocks: [
      {
        kind: "fields",
        fields: [
          ["asked", header.asked],
          ["window", `${header.from ?? "(start of the trail)"} .. ${header.to ?? "(end of the trail)"}`],
          ["generated", header.generatedAt],
          ["case span", `${header.span.from ?? "-"} .. ${header.span.to ?? "-"}`],
        ],
      },
      coverageBlock(header.coverage, "Coverage"),
    ],
  };
}

function keySections(key: NonNullable<Report["key"]>): ReportSection[] {
  return [
    { title: "Key history", blocks: keyHistoryBlocks(key.history) },
    {
      title: "Who could use the key",
      blocks: key.whoCan.flatMap((snapshot) =>
        whoCanBlocks(snapshot.report).map((block, index) =>
          index === 0
            ? {
                ...block,
                title: `${snapshot.reason === "policy-change" ? "After the policy change" : "At the end of the report"} (${snapshot.report.at}${snapshot.eventIds.length ? `, ${snapshot.eventIds.join(", ")}` : ""})`,
              }
            : block,
        ),
      ),
    },
  ];
}

/** The report's sections in reading order: the question and its caveats first, the evidence after. */
export function reportSections(report: Report): ReportSection[] {
  return [
    headerSection(report),
    { title: "Caveats", blocks: [{ kind: "list", items: report.caveats }] },
    { title: "Findings", blocks: findingsBlocks(report.findings) },
    ...(report.key ? keySections(report.key) : []),
    ...(report.reach ? [{ title: "Reach", blocks: reachBlocks(report.reach) }] : []),
    { title: "Gaps", blocks: gapsBlocks(report.gaps) },
    { title: "Usage", blocks: usageBlocks(report.usage) },
    { title: "Timeline", blocks: timelineBlocks(report.timeline) },
  ];
}

// Log strings may hold Markdown or raw HTML: escape every character a renderer could act on.
function mdText(value: string): string {
  return value
    .replace(/\s+/g, " ")
    .replace(/[\\`*_[\]<>|#!]/g, (char) => `\\${char}`)
    .replace(/&/g, "&amp;");
}

function mdCode(value: string): string {
  if (value === "" || value === "-") return mdText(value);
  const flat = value.replace(/\s+/g, " ").replace(/\|/g, "\\|");
  const fence = flat.includes("`") ? "``" : "`";
  return `${fence} ${flat} ${fence}`;
}

function mdRow(cells: string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function mdBlock(block: Block): string {
  const title = block.title ? `### ${mdText(block.title)}\n\n` : "";
  if (block.kind === "list")
    return (
      title + (block.items.length ? block.items.map((item) => `- ${mdText(item)}`).join("\n") : "_none_")
    );
  if (block.kind === "fields")
    return title + block.fields.map(([name, value]) => `- **${mdText(name)}**: ${mdText(value)}`).join("\n");
  const { headers, rows } = block.table;
  if (rows.length === 0) return `${title}_${mdText(block.empty ?? "none")}_`;
  const evidence = headers.map(isEvidenceColumn);
  return (
    title +
    [
      mdRow(headers.map(mdText)),
      mdRow(headers.map(() => "---")),
      ...rows.map((row) => mdRow(row.map((cell, i) => (evidence[i] ? mdCode(cell) : mdText(cell))))),
    ].join("\n")
  );
}

export function reportMarkdown(report: Report): string {
  const sections = reportSections(report).map(
    (section) => `## ${mdText(section.title)}\n\n${section.blocks.map(mdBlock).join("\n\n")}`,
  );
  return `# ${mdText(reportTitle(report))}\n\n${sections.join("\n\n")}\n`;
}
