import {
  assumedRoleIdentity,
  createKeyRecord,
  decryptRecord,
  replayRecords,
} from "../support/trail-records.js";
import { rootPolicy } from "./findings/case-builder.js";

/**
 * A key of account 111122223333 whose policy delegates Decrypt to a partner account under conditions on the
 * caller's identity (aws:PrincipalArn, aws:PrincipalType), and one call each by a role session, an IAM user
 * and a session of the role an exact-ARN condition names. Usage judges the calls; reach asks about the same
 * principals: the two must agree.
 */
export const PARTNER = "999988887777";
export const BOB = `arn:aws:iam::${PARTNER}:user/bob`;
export const BATCH = `arn:aws:iam::${PARTNER}:role/Batch`;
export const REPORTS = `arn:aws:iam::${PARTNER}:role/Reports`;

const bob = {
  type: "IAMUser",
  principalId: "AIDAEXAMPLEBOB000001",
  arn: BOB,
  accountId: PARTNER,
  userName: "bob",
};

export const session = (role: string, name: string) =>
  assumedRoleIdentity(PARTNER, role, name, `AROAEXAMPLE${role.toUpperCase()}01`);

const delegated = (Sid: string, Effect: "Allow" | "Deny", Condition: unknown) => ({
  Sid,
  Effect,
  Principal: { AWS: Effect === "Allow" ? `arn:aws:iam::${PARTNER}:root` : "*" },
  Action: "kms:Decrypt",
  Resource: "*",
  Condition,
});

export const principalConditionsCase = replayRecords([
  createKeyRecord(
    "2024-03-02T09:00:00Z",
    rootPolicy(
      delegated("PartnerRoles", "Allow", {
        ArnLike: { "aws:PrincipalArn": `arn:aws:iam::${PARTNER}:role/*` },
      }),
      delegated("NoUsers", "Deny", { StringEquals: { "aws:PrincipalType": "User" } }),
      delegated("ExactRole", "Allow", { ArnEquals: { "aws:PrincipalArn": REPORTS } }),
    ),
  ),
  decryptRecord(session("Batch", "nightly"), "2024-03-02T10:00:00Z", "role-call"),
  decryptRecord(bob, "2024-03-02T10:01:00Z", "user-call"),
  decryptRecord(session("Reports", "weekly"), "2024-03-02T10:02:00Z", "reports-call"),
]);
