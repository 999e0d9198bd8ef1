import type { z } from "zod";
import { isObjectValue, isOptionalText } from "./envelope-fast-path.js";
import { resourceSchema } from "./record-schema.js";
import type { AliasRef, KeyRef } from "./types.js";

/** Where a bare key id or alias name lives: the record's account and region. */
export interface KeyScope {
  account: string;
  region: string;
}

type Resource = z.infer<typeof resourceSchema>;
const RESOURCE_TEXT = ["ARN", "arn", "accountId", "type"] as const;

const KEY_ARN = /^arn:([^:]+):kms:([^:]*):([^:]*):key\/(.+)$/;
const ALIAS_ARN = /^arn:([^:]+):kms:([^:]*):([^:]*):(alias\/.+)$/;

export function isKeyArn(value: string): boolean {
  return KEY_ARN.test(value);
}

/** The key id of a key ARN or bare key id (UUID or mrk-…); null for aliases and other ARNs. */
export function keyIdOf(reference: string): string | null {
  const arn = KEY_ARN.exec(reference);
  if (arn) return arn[4] ?? null;
  if (reference.startsWith("arn:") || reference.startsWith("alias/")) return null;
  return reference;
}

/**
 * Key ARNs named by resources[]: entries typed AWS::KMS::Key (or untyped, as in old records) whose ARN is a
 * key ARN. Alias ARNs are skipped: KMS types them AWS::KMS::Key too in CreateAlias/UpdateAlias/DeleteAlias.
 */
export function resourceKeyArns(resources: readonly unknown[] | null | undefined): string[] {
  const arns: string[] = [];
  for (const entry of resources ?? []) {
    const resource = plainResource(entry) ?? resourceSchema.safeParse(entry).data;
    if (!resource) continue;
    const { type } = resource;
    const arn = resource.ARN || resource.arn;
    if (arn && isKeyArn(arn) && (!type || type === "AWS::KMS::Key")) arns.push(arn);
  }
  return arns;
}

/** An entry the schema would accept unchanged, checked by hand (crypto records, most of a trail, carry one). */
function plainResource(entry: unknown): Resource | null {
  if (!isObjectValue(entry)) return null;
  const plain = RESOURCE_TEXT.every((field) => isOptionalText(entry[field]));
  return plain ? (entry as Resource) : null;
}

/** An alias as the caller wrote it (`alias/x` or an alias ARN); null for anything else. */
export function aliasRefOf(reference: string, scope: KeyScope): AliasRef | null {
  const arn = ALIAS_ARN.exec(reference);
  if (arn)
    return { name: arn[4] ?? reference, account: arn[3] ?? scope.account, region: arn[2] ?? scope.region };
  if (reference.startsWith("alias/"))
    return { name: reference, account: scope.account, region: scope.region };
  return null;
}

/**
 * Resolves a key reference (DESIGN §3). `candidates` are key ARNs the record gives, resources[] first, then
 * ARNs from the parameters and the response. The ARN is, in order: the candidate with the same key id as
 * the reference; the first candidate; the reference itself when it is a key ARN; one built from the key id
 * and the scope. An alias reference keeps the alias and takes the key ARN only from the candidates, so a
 * call that names `alias/x` and whose resources[] gives key K teaches replay alias x -> K.
 */
export function resolveKeyRef(
  reference: string | null | undefined,
  scope: KeyScope,
  candidates: readonly string[],
): KeyRef {
  const raw = reference?.trim() || null;
  if (raw === null) return { arn: candidates[0] ?? null, alias: null, raw };
  const alias = aliasRefOf(raw, scope);
  if (alias) return { arn: candidates[0] ?? null, alias, raw };
  const id = keyIdOf(raw);
  const matching = id === null ? undefined : candidates.find((arn) => keyIdOf(arn) === id);
  const arn = matching ?? candidates[0] ?? (isKeyArn(raw) ? raw : buildKeyArn(id, scope));
  return { arn, alias: null, raw };
}

/** The ARN of key `id` in the scope's account and region, or null when either is unknown. */
function buildKeyArn(id: string | null, scope: KeyScope): string | null {
  if (!id || !scope.account || !scope.region) return null;
  return `arn:${partitionOf(scope.region)}:kms:${scope.region}:${scope.account}:key/${id}`;
}

/** The same key id in another region (a multi-Region replica). */
export function inRegion(arn: string, region: string): string {
  const m = KEY_ARN.exec(arn);
  return m ? `arn:${m[1]}:kms:${region}:${m[3]}:key/${m[4]}` : arn;
}

function partitionOf(region: string): string {
  if (region.startsWith("cn-")) return "aws-cn";
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  return "aws";
}
