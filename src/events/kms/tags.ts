import { z } from "zod";
import { emit, type Normalizer, parseFields, recordKey } from "../normalizer.js";
import { optionalText } from "../record-schema.js";
import type { Tag } from "../types.js";

/** KMS logs tags as `{tagKey, tagValue}`; a tag without value is an empty string, as KMS stores it. */
export const tagsSchema = z
  .array(z.looseObject({ tagKey: z.string(), tagValue: optionalText }))
  .transform((tags): Tag[] => tags.map((tag) => ({ key: tag.tagKey, value: tag.tagValue ?? "" })));

const tagResourceFields = z.looseObject({
  requestParameters: z.looseObject({ keyId: optionalText, tags: tagsSchema.nullish() }).nullish(),
});

const untagResourceFields = z.looseObject({
  requestParameters: z.looseObject({ keyId: optionalText, tagKeys: z.array(z.string()).nullish() }).nullish(),
});

export const normalizeTagResource: Normalizer = (record, base) => {
  const parsed = parseFields(tagResourceFields, record, base);
  if (!parsed.ok) return parsed;
  const request = parsed.value.requestParameters;
  const key = recordKey(record, base, request?.keyId);
  return emit({ source: "kms", name: "TagResource", key, tags: request?.tags ?? [] });
};

export const normalizeUntagResource: Normalizer = (record, base) => {
  const parsed = parseFields(untagResourceFields, record, base);
  if (!parsed.ok) return parsed;
  const request = parsed.value.requestParameters;
  const key = recordKey(record, base, request?.keyId);
  return emit({ source: "kms", name: "UntagResource", key, tagKeys: request?.tagKeys ?? [] });
};
