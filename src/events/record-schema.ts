import { z } from "zod";

/** An optional string field: absent, null or a string. */
export const optionalText = z.string().nullish();
const text = optionalText;

const sessionIssuerSchema = z.looseObject({
  type: text,
  principalId: text,
  arn: text,
  accountId: text,
  userName: text,
});

export const userIdentitySchema = z.looseObject({
  type: text,
  principalId: text,
  arn: text,
  accountId: text,
  accessKeyId: text,
  userName: text,
  invokedBy: text,
  identityProvider: text,
  sessionContext: z.looseObject({ sessionIssuer: sessionIssuerSchema.nullish() }).nullish(),
});
export type UserIdentity = z.infer<typeof userIdentitySchema>;

/**
 * The CloudTrail record envelope. Lenient on purpose: only what every record must have to be replayed is
 * required (eventID, eventTime, eventSource, eventName); the event-specific parts are `unknown` here and
 * parsed by each event's normalizer. `resources` stays a list of unknowns because exports mangle it (some
 * hold Python-repr strings); `resourceKeyArns` picks the usable entries.
 */
export const cloudTrailRecordSchema = z.looseObject({
  eventVersion: text,
  eventID: z.string().min(1),
  eventTime: z.union([z.string(), z.number()]),
  eventSource: z.string().min(1),
  eventName: z.string().min(1),
  eventType: text,
  awsRegion: text,
  recipientAccountId: text,
  userIdentity: userIdentitySchema.nullish(),
  sourceIPAddress: text,
  userAgent: text,
  errorCode: text,
  errorMessage: text,
  requestID: text,
  sharedEventID: text,
  requestParameters: z.unknown().optional(),
  responseElements: z.unknown().optional(),
  additionalEventData: z.unknown().optional(),
  serviceEventDetails: z.unknown().optional(),
  resources: z.array(z.unknown()).nullish(),
});
export type CloudTrailRecord = z.infer<typeof cloudTrailRecordSchema>;

/** One resources[] entry; older records omit `type`, some exports spell `arn` in lower case. */
export const resourceSchema = z.looseObject({
  ARN: text,
  arn: text,
  accountId: text,
  type: text,
});
