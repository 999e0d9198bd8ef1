/** The key states the generator drives a key through (a subset of KMS's KeyState, plus Deleted). */
export type GeneratedKeyState = "Enabled" | "Disabled" | "PendingDeletion" | "Deleted";

/** A key of the synthetic world, with the state changes its planned management calls make. */
export interface GeneratedKey {
  account: string;
  region: string;
  id: string;
  arn: string;
  alias: string;
  createdAt: number;
  /** The other account the key policy shares the key with, or null. */
  partner: string | null;
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

export function keyResource(key: GeneratedKey): { accountId: string; type: string; ARN: string } {
  return { accountId: key.account, type: "AWS::KMS::Key", ARN: key.arn };
}
