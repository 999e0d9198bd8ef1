/** The key states the generator drives a key through (a subset of KMS's KeyState, plus Deleted). */
export type GeneratedKeyState = "Enabled" | "Disabled" | "PendingDeletion" | "Deleted";

/**
 * An alias pointing to a key over [from, to): from its CreateAlias or UpdateAlias to the UpdateAlias or
 * DeleteAlias that ends it (Infinity when none does).
 */
export interface AliasSpan {
  name: string;
  from: number;
  to: number;
}

/** A DynamoDB table encrypted under the key, usable by DynamoDB from its grant's CreateGrant on. */
export interface GeneratedTable {
  name: string;
  since: number;
}

/** A key of the synthetic world, with the state changes its planned management calls make. */
export interface GeneratedKey {
  account: string;
  region: string;
  id: string;
  arn: string;
  /** The alias the key is created with (its name also names the key's table and grants). */
  alias: string;
  /** The aliases pointing to the key over time, its own and ones UpdateAlias moved to it. */
  aliases: AliasSpan[];
  createdAt: number;
  /** The other account the key policy shares the key with, or null. */
  partner: string | null;
  /** The DynamoDB table encrypted under the key, or null when DynamoDB never uses it. */
  table: GeneratedTable | null;
  /** State changes in time order, starting with CreateKey's Enabled. */
  changes: { time: number; state: GeneratedKeyState }[];
}

/** The key's state at `time`, or null before it exists. */
export function keyStateAt(key: GeneratedKey, time: number): GeneratedKeyState | null {
  let state: GeneratedKeyState | null = null;
  for (const change of key.changes) {
    if (change.time > time) break;
    state = change.state;
  }
  return state;
}

const ALIAS_MARGIN = 2_000;

/**
 * The alias names pointing to the key at `time`, kept clear of their CreateAlias, UpdateAlias and DeleteAlias
 * by a margin: CloudTrail logs whole seconds, so a call in the same second as the change has no sure order.
 */
export function aliasesAt(key: GeneratedKey, time: number): string[] {
  const names: string[] = [];
  for (const span of key.aliases) {
    if (span.from + ALIAS_MARGIN <= time && time < span.to - ALIAS_MARGIN) names.push(span.name);
  }
  return names;
}

export function aliasArn(key: GeneratedKey, alias: string): string {
  return `arn:aws:kms:${key.region}:${key.account}:${alias}`;
}

export function keyResource(key: GeneratedKey): { accountId: string; type: string; ARN: string } {
  return { accountId: key.account, type: "AWS::KMS::Key", ARN: key.arn };
}
