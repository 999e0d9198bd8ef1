import { z } from "zod";
import { awsDateSchema } from "../aws-date-schema.js";
import { emit, type Normalizer, parseFields, recordKey } from "../normalizer.js";
import { optionalText } from "../record-schema.js";

const materialSchema = z.looseObject({ keyId: optionalText, keyMaterialId: optionalText });

const getParametersForImportFields = z.looseObject({
  requestParameters: z
    .looseObject({ keyId: optionalText, wrappingAlgorithm: optionalText, wrappingKeySpec: optionalText })
    .nullish(),
  responseElements: z
    .looseObject({ keyId: optionalText, parametersValidTo: awsDateSchema.nullish() })
    .nullish(),
});

const importKeyMaterialFields = z.looseObject({
  requestParameters: z
    .looseObject({
      keyId: optionalText,
      validTo: awsDateSchema.nullish(),
      expirationModel: optionalText,
      importType: optionalText,
      keyMaterialId: optionalText,
    })
    .nullish(),
  responseElements: materialSchema.nullish(),
});

// DeleteImportedKeyMaterial is a call; DeleteExpiredKeyMaterial a service event (serviceEventDetails).
const deleteMaterialFields = z.looseObject({
  requestParameters: materialSchema.nullish(),
  responseElements: materialSchema.nullish(),
  serviceEventDetails: materialSchema.nullish(),
});

export const normalizeGetParametersForImport: Normalizer = (record, base) => {
  const parsed = parseFields(getParametersForImportFields, record, base);
  if (!parsed.ok) return parsed;
  const { requestParameters: request, responseElements: response } = parsed.value;
  return emit({
    source: "kms",
    name: "GetParametersForImport",
    key: recordKey(record, base, request?.keyId, response?.keyId),
    wrappingAlgorithm: request?.wrappingAlgorithm ?? null,
    wrappingKeySpec: request?.wrappingKeySpec ?? null,
    parametersValidTo: response?.parametersValidTo ?? null,
  });
};

export const normalizeImportKeyMaterial: Normalizer = (record, base) => {
  const parsed = parseFields(importKeyMaterialFields, record, base);
  if (!parsed.ok) return parsed;
  const { requestParameters: request, responseElements: response } = parsed.value;
  return emit({
    source: "kms",
    name: "ImportKeyMaterial",
    key: recordKey(record, base, request?.keyId, response?.keyId),
    validTo: request?.validTo ?? null,
    expirationModel: request?.expirationModel ?? null,
    keyMaterialId: response?.keyMaterialId ?? request?.keyMaterialId ?? null,
    importType: request?.importType ?? null,
  });
};

export function deleteMaterialNormalizer(
  name: "DeleteImportedKeyMaterial" | "DeleteExpiredKeyMaterial",
): Normalizer {
  return (record, base) => {
    const parsed = parseFields(deleteMaterialFields, record, base);
    if (!parsed.ok) return parsed;
    const {
      requestParameters: request,
      responseElements: response,
      serviceEventDetails: details,
    } = parsed.value;
    return emit({
      source: "kms",
      name,
      key: recordKey(record, base, request?.keyId ?? details?.keyId, response?.keyId),
      keyMaterialId: request?.keyMaterialId ?? response?.keyMaterialId ?? details?.keyMaterialId ?? null,
    });
  };
}
