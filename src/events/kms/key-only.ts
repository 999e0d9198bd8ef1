import { z } from "zod";
import { isOptionalTextObject } from "../envelope-fast-path.js";
import { emit, type Normalizer, parseFields, recordKey } from "../normalizer.js";
import { type CloudTrailRecord, optionalText } from "../record-schema.js";
import type { KeyReadOperation, SimpleKeyEvent } from "../types.js";

export const keyIdSchema = z.looseObject({ keyId: optionalText });

// Service events (DeleteKey, SynchronizeMultiRegionKey) carry no requestParameters; some name the key in
// serviceEventDetails, all of them in resources[].
const keyOnlyFields = z.looseObject({
  requestParameters: keyIdSchema.nullish(),
  responseElements: keyIdSchema.nullish(),
  serviceEventDetails: keyIdSchema.nullish(),
});

const KEY_ID = ["keyId"] as const;

function isPlainKeyOnly(record: CloudTrailRecord): boolean {
  return (
    isOptionalTextObject(record.requestParameters, KEY_ID) &&
    isOptionalTextObject(record.responseElements, KEY_ID) &&
    isOptionalTextObject(record.serviceEventDetails, KEY_ID)
  );
}

type KeyOnlyEventName = SimpleKeyEvent["name"] | KeyReadOperation;

/** Normalizer for calls whose only normalized field is the key (lifecycle toggles and key reads). */
export function keyOnlyNormalizer(name: KeyOnlyEventName): Normalizer {
  return (record, base) => {
    const parsed = parseFields(keyOnlyFields, record, base, isPlainKeyOnly);
    if (!parsed.ok) return parsed;
    const {
      requestParameters: request,
      responseElements: response,
      serviceEventDetails: details,
    } = parsed.value;
    const key = recordKey(record, base, request?.keyId ?? details?.keyId, response?.keyId);
    return emit({ source: "kms", name, key });
  };
}
