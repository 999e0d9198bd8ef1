import type { Report } from "../query/index.js";
import type { Block } from "./blocks.js";
import { mdEscape, renderMarkdown } from "./blocks.js";
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

export function reportMarkdown(report: Report, sections: ReportSection[] = reportSections(report)): string {
  const parts = sections.map(
    (section) =>
      `## ${mdEscape(section.title)}\n\n${section.blocks.map((block) => renderMarkdown(block, "list")).join("\n\n")}`,
  );
  return `# ${mdEscape(reportTitle(report))}\n\n${parts.join("\n\n")}\n`;
}
