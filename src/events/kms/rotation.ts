import { z } from "zod";
import { emit, type Normalizer, parseFields, recordKey } from "../normalizer.js";
import { optionalText } from "../record-schema.js";

const enableKeyRotationFields = z.looseObject({
  requestParameters: z
    .looseObject({ keyId: optionalText, rotationPeriodInDays: z.number().nullish() })
    .nullish(),
  responseElements: z.looseObject({ keyId: optionalText }).nullish(),
});

// RotateKey is a service event: the details are in serviceEventDetails (material ids since 2025).
const rotateKeyFields = z.looseObject({
  serviceEventDetails: z
    .looseObject({
      keyId: optionalText,
      rotationType: optionalText,
      currentKeyMaterialId: optionalText,
      previousKeyMaterialId: optionalText,
    })
    .nullish(),
});

export const normalizeEnableKeyRotation: Normalizer = (record, base) => {
  const parsed = parseFields(enableKeyRotationFields, record, base);
  if (!parsed.ok) return parsed;
  const { requestParameters: request, responseElements: response } = parsed.value;
  return emit({
    source: "kms",
    name: "EnableKeyRotation",
    key: recordKey(record, base, request?.keyId, response?.keyId),
    rotationPeriodInDays: request?.rotationPeriodInDays ?? null,
  });
};

export const normalizeRotateKey: Normalizer = (record, base) => {
  const parsed = parseFields(rotateKeyFields, record, base);
  if (!parsed.ok) return parsed;
  const details = parsed.value.serviceEventDetails;
  return emit({
    source: "kms",
    name: "RotateKey",
    key: recordKey(record, base, details?.keyId),
    rotationType: details?.rotationType ?? null,
    keyMaterialId: details?.currentKeyMaterialId ?? null,
    previousKeyMaterialId: details?.previousKeyMaterialId ?? null,
  });
};
