import { z } from "zod";
import { emit, type Normalizer, parseFields } from "../normalizer.js";
import { optionalText } from "../record-schema.js";
import type { TrailRef } from "../types.js";
import { kmsManagementLogged } from "./kms-management-logged.js";

const trailFields = z.looseObject({
  requestParameters: z
    .looseObject({
      name: optionalText,
      trailName: optionalText,
      isMultiRegionTrail: z.boolean().nullish(),
      isOrganizationTrail: z.boolean().nullish(),
    })
    .nullish(),
  responseElements: z
    .looseObject({
      name: optionalText,
      trailARN: optionalText,
      isMultiRegionTrail: z.boolean().nullish(),
      isOrganizationTrail: z.boolean().nullish(),
    })
    .nullish(),
});
type TrailFields = z.infer<typeof trailFields>;

type TrailControlName = "DeleteTrail" | "StartLogging" | "StopLogging" | "PutInsightSelectors";

/** The trail a call names (by name or ARN); "" when the record does not say, so the event is still kept. */
function trailRef(fields: TrailFields): TrailRef {
  const request = fields.requestParameters;
  const name = request?.name ?? request?.trailName ?? fields.responseElements?.name ?? "";
  const arn = name.startsWith("arn:") ? name : (fields.responseElements?.trailARN ?? null);
  return { name, arn };
}

export function trailControlNormalizer(name: TrailControlName): Normalizer {
  return (record, base) => {
    const parsed = parseFields(trailFields, record, base);
    if (!parsed.ok) return parsed;
    return emit({ source: "cloudtrail", name, trail: trailRef(parsed.value) });
  };
}

export function trailConfigNormalizer(name: "CreateTrail" | "UpdateTrail"): Normalizer {
  return (record, base) => {
    const parsed = parseFields(trailFields, record, base);
    if (!parsed.ok) return parsed;
    const { requestParameters: request, responseElements: response } = parsed.value;
    return emit({
      source: "cloudtrail",
      name,
      trail: trailRef(parsed.value),
      isMultiRegion: request?.isMultiRegionTrail ?? response?.isMultiRegionTrail ?? null,
      isOrganizationTrail: request?.isOrganizationTrail ?? response?.isOrganizationTrail ?? null,
    });
  };
}

export const normalizePutEventSelectors: Normalizer = (record, base) => {
  const parsed = parseFields(trailFields, record, base);
  if (!parsed.ok) return parsed;
  return emit({
    source: "cloudtrail",
    name: "PutEventSelectors",
    trail: trailRef(parsed.value),
    kmsManagementLogged: kmsManagementLogged(record.requestParameters),
  });
};
