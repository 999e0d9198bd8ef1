import { z } from "zod";
import { emit, type Normalizer, recordKey } from "../normalizer.js";
import { keyIdSchema } from "./key-only.js";

const otherFields = z.looseObject({ requestParameters: keyIdSchema });

/**
 * A KMS event name keytrail does not know: kept as `Other` for timelines and usage, never an issue, so its
 * key is read only when requestParameters.keyId or resources[] plainly give one.
 */
export const normalizeOtherKmsEvent: Normalizer = (record, base) => {
  const keyId = otherFields.safeParse(record).data?.requestParameters.keyId;
  const key = recordKey(record, base, keyId);
  return emit({
    source: "kms",
    name: "Other",
    eventName: record.eventName,
    key: key.arn === null && key.raw === null ? null : key,
  });
};
