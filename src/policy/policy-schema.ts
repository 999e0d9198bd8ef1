import { z } from "zod";

/**
 * The IAM policy grammar as KMS key policies use it. Single values and lists are both accepted wherever IAM
 * accepts both; unknown top-level fields are kept out of the parsed form but survive in each statement's raw JSON.
 */
const oneOrMany = z.union([z.string(), z.array(z.string())]);

export const principalBlockSchema = z.union([
  z.literal("*"),
  z
    .object({
      AWS: oneOrMany.optional(),
      Service: oneOrMany.optional(),
      Federated: oneOrMany.optional(),
      CanonicalUser: oneOrMany.optional(),
    })
    .strict(),
]);
export type PrincipalBlock = z.infer<typeof principalBlockSchema>;

const conditionScalarSchema = z.union([z.string(), z.number(), z.boolean()]);
/** operator -> condition key -> value(s); IAM accepts booleans and numbers as well as strings. */
export const conditionBlockSchema = z.record(
  z.string(),
  z.record(z.string(), z.union([conditionScalarSchema, z.array(conditionScalarSchema)])),
);
export type ConditionBlock = z.infer<typeof conditionBlockSchema>;

export const policyStatementSchema = z
  .object({
    Sid: z.string().optional(),
    Effect: z.enum(["Allow", "Deny"]),
    Principal: principalBlockSchema.optional(),
    NotPrincipal: principalBlockSchema.optional(),
    Action: oneOrMany.optional(),
    NotAction: oneOrMany.optional(),
    Resource: oneOrMany.optional(),
    NotResource: oneOrMany.optional(),
    Condition: conditionBlockSchema.optional(),
  })
  .refine((s) => (s.Principal === undefined) !== (s.NotPrincipal === undefined), {
    message: "a key policy statement needs exactly one of Principal and NotPrincipal",
  })
  .refine((s) => (s.Action === undefined) !== (s.NotAction === undefined), {
    message: "a statement needs exactly one of Action and NotAction",
  })
  .refine((s) => s.Resource === undefined || s.NotResource === undefined, {
    message: "a statement cannot have both Resource and NotResource",
  });
export type PolicyStatement = z.infer<typeof policyStatementSchema>;

export const keyPolicyDocumentSchema = z.object({
  Version: z.string().optional(),
  Id: z.string().optional(),
  Statement: z.union([z.unknown().array(), z.record(z.string(), z.unknown())]),
});
export type KeyPolicyDocument = z.infer<typeof keyPolicyDocumentSchema>;
