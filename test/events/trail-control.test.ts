import { describe, expect, it } from "vitest";
import { ACCOUNT, BASE, kmsRecord, normalized } from "./helpers.js";

const TRAIL_ARN = `arn:aws:cloudtrail:us-west-2:${ACCOUNT}:trail/management-events`;

function trailRecord(eventName: string, requestParameters: unknown, responseElements: unknown = null) {
  return kmsRecord({
    eventSource: "cloudtrail.amazonaws.com",
    eventName,
    requestParameters,
    responseElements,
  });
}

function selectorsLogged(requestParameters: unknown) {
  const event = normalized(trailRecord("PutEventSelectors", requestParameters));
  return event.name === "PutEventSelectors" ? event.kmsManagementLogged : "not PutEventSelectors";
}

describe("CloudTrail control normalizers", () => {
  it("StopLogging by trail ARN", () => {
    expect(normalized(trailRecord("StopLogging", { name: TRAIL_ARN }))).toEqual({
      ...BASE,
      source: "cloudtrail",
      name: "StopLogging",
      trail: { name: TRAIL_ARN, arn: TRAIL_ARN },
    });
  });

  it("UpdateTrail reads the response's trail ARN and flags", () => {
    const record = trailRecord(
      "UpdateTrail",
      { name: "management-events", isMultiRegionTrail: true },
      {
        name: "management-events",
        trailARN: TRAIL_ARN,
        isMultiRegionTrail: true,
        isOrganizationTrail: false,
      },
    );
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "cloudtrail",
      name: "UpdateTrail",
      trail: { name: "management-events", arn: TRAIL_ARN },
      isMultiRegion: true,
      isOrganizationTrail: false,
    });
  });

  it("PutEventSelectors: full event", () => {
    const record = trailRecord(
      "PutEventSelectors",
      {
        trailName: "management-events",
        eventSelectors: [{ includeManagementEvents: true, readWriteType: "All" }],
      },
      { trailARN: TRAIL_ARN },
    );
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "cloudtrail",
      name: "PutEventSelectors",
      trail: { name: "management-events", arn: TRAIL_ARN },
      kmsManagementLogged: true,
    });
  });

  it.each<[string, unknown, boolean | null]>([
    [
      "basic, management on",
      {
        eventSelectors: [
          { includeManagementEvents: true, readWriteType: "All", excludeManagementEventSources: [] },
        ],
      },
      true,
    ],
    [
      "basic, management off on every selector",
      { eventSelectors: [{ includeManagementEvents: false, readWriteType: "ReadOnly" }] },
      false,
    ],
    [
      "basic, KMS excluded",
      {
        eventSelectors: [
          { includeManagementEvents: true, excludeManagementEventSources: ["kms.amazonaws.com"] },
        ],
      },
      false,
    ],
    [
      "basic, reads only",
      { eventSelectors: [{ includeManagementEvents: true, readWriteType: "ReadOnly" }] },
      false,
    ],
    [
      "basic, reads and writes in two selectors",
      { eventSelectors: [{ readWriteType: "ReadOnly" }, { readWriteType: "WriteOnly" }] },
      true,
    ],
    [
      "advanced, management",
      {
        advancedEventSelectors: [
          { name: "mgmt", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
        ],
      },
      true,
    ],
    [
      "advanced, KMS excluded (logged spelling)",
      {
        advancedEventSelectors: [
          {
            fieldSelectors: [
              { field: "eventCategory", equals: ["Management"] },
              { field: "eventSource", notEquals: ["kms.amazonaws.com"] },
            ],
          },
        ],
      },
      false,
    ],
    [
      "advanced, KMS excluded (API spelling)",
      {
        advancedEventSelectors: [
          {
            FieldSelectors: [
              { Field: "eventCategory", Equals: ["Management"] },
              { Field: "eventSource", NotEquals: ["kms.amazonaws.com"] },
            ],
          },
        ],
      },
      false,
    ],
    [
      "advanced, data events only",
      { advancedEventSelectors: [{ fieldSelectors: [{ field: "eventCategory", equals: ["Data"] }] }] },
      false,
    ],
    ["no selectors at all", { trailName: "t" }, null],
    ["unreadable selectors", { eventSelectors: "all" }, null],
  ])("kmsManagementLogged: %s", (_label, requestParameters, expected) => {
    expect(selectorsLogged(requestParameters)).toBe(expected);
  });
});
