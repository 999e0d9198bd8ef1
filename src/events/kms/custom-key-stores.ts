import { z } from "zod";
import { emit, type Normalizer, parseFields } from "../normalizer.js";
import { optionalText } from "../record-schema.js";
import type { CustomKeyStoreOperation } from "../types.js";

const storeSchema = z.looseObject({
  customKeyStoreId: optionalText,
  customKeyStoreName: optionalText,
  customKeyStoreType: optionalText,
});

// The store's name is in additionalEventData when the call names the store by id only.
const customKeyStoreFields = z.looseObject({
  requestParameters: storeSchema.nullish(),
  responseElements: storeSchema.nullish(),
  additionalEventData: storeSchema.nullish(),
});

export function customKeyStoreNormalizer(name: CustomKeyStoreOperation): Normalizer {
  return (record, base) => {
    const parsed = parseFields(customKeyStoreFields, record, base);
    if (!parsed.ok) return parsed;
    const {
      requestParameters: request,
      responseElements: response,
      additionalEventData: additional,
    } = parsed.value;
    const parts = [request, response, additional];
    return emit({
      source: "kms",
      name,
      key: null,
      customKeyStoreId: parts.find((part) => part?.customKeyStoreId)?.customKeyStoreId ?? null,
      customKeyStoreName: parts.find((part) => part?.customKeyStoreName)?.customKeyStoreName ?? null,
      customKeyStoreType: parts.find((part) => part?.customKeyStoreType)?.customKeyStoreType ?? null,
    });
  };
}
