import { z } from "zod";
import { absent, isObjectValue, isOptionalTextObject } from "../envelope-fast-path.js";
import { emit, type Normalizer, parseFields } from "../normalizer.js";
import { sessionNameOf } from "../principal.js";
import { type CloudTrailRecord, optionalText } from "../record-schema.js";
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

/** The fields assumeRoleFields reads, each plain text where it is present. */
function isPlainAssumeRole(record: CloudTrailRecord): boolean {
  const response = record.responseElements;
  return (
    isOptionalTextObject(record.requestParameters, ["roleArn", "roleSessionName", "sourceIdentity"]) &&
    isOptionalTextObject(response, ["sourceIdentity"]) &&
    (absent(response) ||
      (isObjectValue(response) &&
        isOptionalTextObject(response.assumedRoleUser, ["arn", "assumedRoleId"]) &&
        isOptionalTextObject(response.credentials, ["accessKeyId"])))
  );
}

/** AssumeRole*: links the session (its ARN, id and access key) to the role, for session -> role resolution. */
export function assumeRoleNormalizer(name: AssumeRoleEvent["name"]): Normalizer {
  return (record, base) => {
    const parsed = parseFields(assumeRoleFields, record, base, isPlainAssumeRole);
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
