import { z } from "zod";
import { emit, type Normalizer, parseFields } from "../normalizer.js";
import { sessionNameOf } from "../principal.js";
import { optionalText } from "../record-schema.js";
import type { AssumeRoleEvent } from "../types.js";

const assumeRoleFields = z.looseObject({
  requestParameters: z
    .looseObject({ roleArn: optionalText, roleSessionName: optionalText, sourceIdentity: optionalText })
    .nullish(),
  responseElements: z
    .looseObject({
      assumedRoleUser: z.looseObject({ arn: optionalText, assumedRoleId: optionalText }).nullish(),
      credentials: z.looseObject({ accessKeyId: optionalText }).nullish(),
      sourceIdentity: optionalText,
    })
    .nullish(),
});

/** AssumeRole*: links the session (its ARN, id and access key) to the role, for session -> role resolution. */
export function assumeRoleNormalizer(name: AssumeRoleEvent["name"]): Normalizer {
  return (record, base) => {
    const parsed = parseFields(assumeRoleFields, record, base);
    if (!parsed.ok) return parsed;
    const { requestParameters: request, responseElements: response } = parsed.value;
    const assumedRoleArn = response?.assumedRoleUser?.arn ?? null;
    return emit({
      source: "sts",
      name,
      roleArn: request?.roleArn ?? null,
      // AssumeRoleWithSAML has no roleSessionName parameter: the session ARN carries it.
      roleSessionName: request?.roleSessionName ?? (assumedRoleArn ? sessionNameOf(assumedRoleArn) : null),
      assumedRoleArn,
      assumedRoleId: response?.assumedRoleUser?.assumedRoleId ?? null,
      accessKeyId: response?.credentials?.accessKeyId ?? null,
      sourceIdentity: request?.sourceIdentity ?? response?.sourceIdentity ?? null,
    });
  };
}
