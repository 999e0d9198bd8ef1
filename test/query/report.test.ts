import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { report } from "../../src/query/index.js";
import { reportHtml, reportMarkdown } from "../../src/render/index.js";

const model = (path: string) => replayInputs([path]).then((data) => new CaseModel(data));
const demo = model("fixtures/demo");
const PAYMENTS = "arn:aws:kms:us-east-1:111122223333:key/a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d";
const DATA_SYNC = "arn:aws:iam::999988887777:role/data-sync";
const GENERATED = Date.parse("2025-01-02T03:04:05Z");

const HOSTILE = `alias/<script>alert(1)</script>"'&x`;
const HOSTILE_KEY = "arn:aws:kms:us-east-1:111122223333:key/5c0f8a2e-7d41-4b6e-9a3c-2e8b1f6d4a90";

/** A two-record trail whose alias name is markup: every log string must reach the page as text. */
function hostileTrail(): string {
  const base = {
    eventVersion: "1.09",
    userIdentity: {
      type: "IAMUser",
      principalId: "AIDAQ3VX7K2LM5PR8TW4N",
      arn: "arn:aws:iam::111122223333:user/kms-admin",
      accountId: "111122223333",
      userName: "kms-admin",
    },
    eventSource: "kms.amazonaws.com",
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.41",
    userAgent: "aws-cli/2.15.30",
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "111122223333",
    eventCategory: "Management",
  };
  const records = [
    {
      ...base,
      eventTime: "2024-02-13T10:00:00Z",
      eventName: "CreateKey",
      requestParameters: { keyUsage: "ENCRYPT_DECRYPT", keySpec: "SYMMETRIC_DEFAULT", origin: "AWS_KMS" },
      responseElements: {
        keyMetadata: {
          aWSAccountId: "111122223333",
          keyId: "5c0f8a2e-7d41-4b6e-9a3c-2e8b1f6d4a90",
          arn: HOSTILE_KEY,
          keyState: "Enabled",
          keyUsage: "ENCRYPT_DECRYPT",
          origin: "AWS_KMS",
          keySpec: "SYMMETRIC_DEFAULT",
          multiRegion: false,
        },
      },
      requestID: "02ec3685-cac2-4eff-b6ac-d41b57906817",
      eventID: "c5e2a660-ddfa-493a-bb06-c38096ccd34b",
      resources: [{ accountId: "111122223333", type: "AWS::KMS::Key", ARN: HOSTILE_KEY }],
    },
    {
      ...base,
      eventTime: "2024-02-13T10:01:00Z",
      eventName: "CreateAlias",
      requestParameters: { aliasName: HOSTILE, targetKeyId: "5c0f8a2e-7d41-4b6e-9a3c-2e8b1f6d4a90" },
      responseElements: null,
      requestID: "ad9f75f7-6679-4688-a135-0a53a2dc60b6",
      eventID: "660b0bfb-e464-47c6-ab32-8d2a3e7e32af",
      resources: [{ accountId: "111122223333", type: "AWS::KMS::Key", ARN: HOSTILE_KEY }],
    },
  ];
  const dir = mkdtempSync(join(tmpdir(), "keytrail-report-"));
  const file = join(dir, "hostile.json");
  writeFileSync(file, JSON.stringify({ Records: records }));
  return file;
}

describe("report on the demo incident", () => {
  it("reconstructs the payments key: policy change, grant to data-sync, alias repoint, logging gap, deletion", async () => {
    const result = report(await demo, { subject: { key: PAYMENTS }, generatedAt: GENERATED });
    const key = result.key;
    if (!key) throw new Error("the key report has no key section");
    const names = key.history.events.map((event) => event.name);
    expect(names).toEqual(
      expect.arrayContaining(["PutKeyPolicy", "CreateGrant", "UpdateAlias", "ScheduleKeyDeletion"]),
    );
    expect(key.history.grants.map((grant) => grant.grantee)).toContain(DATA_SYNC);
    const repoint = key.history.events.find((event) => event.name === "UpdateAlias");
    expect(repoint?.summary).toContain("alias/payments");
    expect(repoint?.time).toBe("2024-12-17T13:17:00.000Z");
    expect(key.history.states.at(-1)?.value).toBe("PendingDeletion");
    // who-can right after the policy change lets the outside account in
    const change = key.whoCan.find((snapshot) => snapshot.reason === "policy-change");
    expect(change?.report.at).toBe("2024-12-17T13:10:00.000Z");
    expect(change?.report.principals.map((p) => p.principal)).toContain("999988887777");
    expect(key.whoCan.at(-1)?.reason).toBe("report-end");
    expect(result.gaps.gaps.map((gap) => [gap.reason, gap.from, gap.to])).toContainEqual([
      "logging-stopped",
      "2024-12-17T13:21:10.000Z",
      "2024-12-17T13:41:10.000Z",
    ]);
    expect(result.caveats.join("\n")).toMatch(/logging-stopped/);
    const detectors = result.findings.findings.map((finding) => finding.detector);
    expect(detectors).toEqual(
      expect.arrayContaining(["policy-opened", "grant-outside-account", "key-in-use-disabled"]),
    );
    for (const finding of result.findings.findings) expect(finding.blastRadius.keys).toContain(PAYMENTS);
    expect(result.header).toMatchObject({ subject: "key", generatedAt: "2025-01-02T03:04:05.000Z" });
    expect(result.header.coverage.map((span) => span.account)).toEqual(["111122223333", "999988887777"]);
    expect(JSON.parse(JSON.stringify(result))).toEqual(result);
  });

  it("ends at the last instant before --to in every section: a policy put at --to is after the report", async () => {
    const policyChange = Date.parse("2024-12-17T13:10:00Z");
    const result = report(await demo, {
      subject: { key: PAYMENTS },
      to: policyChange,
      generatedAt: GENERATED,
    });
    const end = result.key?.whoCan.at(-1)?.report;
    expect(end?.at).toBe("2024-12-17T13:09:59.999Z");
    expect(end?.principals.map((p) => p.principal)).not.toContain("999988887777");
    expect(result.key?.whoCan.map((snapshot) => snapshot.reason)).toEqual(["report-end"]);
    const principal = report(await demo, {
      subject: { principal: DATA_SYNC },
      to: policyChange,
      generatedAt: GENERATED,
    });
    expect(principal.reach?.to).toBe("2024-12-17T13:09:59.999Z");
  });

  it("renders the evidence in Markdown with eventIds in code spans", async () => {
    const result = report(await demo, { subject: { key: PAYMENTS }, generatedAt: GENERATED });
    const md = reportMarkdown(result);
    expect(md).toMatch(/^# keytrail report: key /);
    for (const heading of [
      "Question",
      "Caveats",
      "Findings",
      "Key history",
      "Who could use the key",
      "Gaps",
      "Usage",
      "Timeline",
    ])
      expect(md).toContain(`## ${heading}\n`);
    const putPolicy = result.key?.history.events.find((event) => event.name === "PutKeyPolicy");
    expect(md).toContain(`\` ${putPolicy?.eventIds[0]} \``);
    expect(md).toContain("ScheduleKeyDeletion");
    expect(md).toContain("data-sync");
  });

  it("marks the findings the records do not show outright, and only when some are", async () => {
    const keyReport = report(await demo, { subject: { key: PAYMENTS }, generatedAt: GENERATED });
    const md = reportMarkdown(keyReport);
    expect(md).toContain("| time | severity | confidence | detector |");
    expect(md).toMatch(/\| high \| inferred \| policy-opened \|/);
    expect(md).toContain(
      "Inferred: the key policy before version 1 is not in the trail: it may already have trusted them. Evidence: ",
    );
    expect(reportHtml(keyReport)).toContain("<th>confidence</th>");
    const principal = report(await demo, {
      subject: { principal: "arn:aws:iam::111122223333:role/PaymentsApi" },
      generatedAt: GENERATED,
    });
    expect(principal.findings.findings.length).toBeGreaterThan(0);
    expect(principal.findings.findings.every((finding) => finding.confidence === "recorded")).toBe(true);
    const section = reportMarkdown(principal).split("## Findings\n")[1]?.split("\n## ")[0];
    expect(section).toContain("| time | severity | detector |");
    expect(section).not.toMatch(/Inferred: |confidence/);
  });

  it("narrows a principal report to the findings and usage of that principal", async () => {
    const result = report(await demo, { subject: { principal: DATA_SYNC }, generatedAt: GENERATED });
    expect(result.key).toBeNull();
    expect(result.reach?.principal).toBe(DATA_SYNC);
    expect(result.usage.calls.every((group) => group.principal === DATA_SYNC)).toBe(true);
    expect(result.usage.totals.denied).toBeGreaterThan(0);
    // Findings about data-sync, and about its account or anyone (the key policy opened to them).
    for (const finding of result.findings.findings)
      expect(finding.blastRadius.principals.some((id) => [DATA_SYNC, "999988887777", "*"].includes(id))).toBe(
        true,
      );
    expect(result.findings.findings.map((finding) => finding.detector)).toContain("policy-opened");
  });

  it("keeps a window report inside its window", async () => {
    const from = Date.parse("2024-12-17T13:00:00Z");
    const to = Date.parse("2024-12-17T13:30:00Z");
    const result = report(await demo, { subject: { window: true }, from, to, generatedAt: GENERATED });
    for (const finding of result.findings.findings) {
      expect(Date.parse(finding.time)).toBeGreaterThanOrEqual(from);
      expect(Date.parse(finding.time)).toBeLessThan(to);
    }
    expect(result.findings.findings.map((finding) => finding.detector)).not.toContain("key-in-use-disabled");
    expect(result.gaps.gaps.some((gap) => gap.reason === "logging-stopped")).toBe(true);
    expect(result.header.from).toBe("2024-12-17T13:00:00.000Z");
  });
});

describe("report rendering of hostile log strings", () => {
  it("escapes an alias name carrying markup and quotes in HTML and Markdown", async () => {
    const hostile = await model(hostileTrail());
    const result = report(hostile, { subject: { key: HOSTILE_KEY }, generatedAt: GENERATED });
    expect(result.key?.history.aliases.map((alias) => alias.value)).toEqual([HOSTILE]);
    const html = reportHtml(result);
    expect(html).not.toContain("<script");
    expect(html).not.toContain(`"'&x`);
    expect(html).toContain("alias/&lt;script&gt;alert(1)&lt;/script&gt;&quot;&#39;&amp;x");
    expect(html).not.toMatch(/<link|src=|href=/);
    expect(html).toMatch(/^<!DOCTYPE html>[\s\S]*<style>[\s\S]*<\/html>\n$/);
    const md = reportMarkdown(result);
    expect(md).not.toMatch(/(^|[^\\])<script/);
    expect(md).toContain("alias/\\<script\\>alert(1)\\</script\\>");
  });
});
