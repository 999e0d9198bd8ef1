import { ACCOUNT } from "../events/helpers.js";

/**
 * The reviewer's reproduction of KMS's cross-account rule (docs/authorization.md, "Cross-account use"), shared by
 * the local and the Neo4j tests: a key of 111122223333 whose policy allows kms:Put*, ScheduleKeyDeletion, DisableKey
 * and Decrypt to a role and an account of other accounts.
 */
export const OUTSIDER = "999988887777";
export const PARTNER = "444455556666";
export const EXT_ADMIN = `arn:aws:iam::${OUTSIDER}:role/ExtAdmin`;
export const ADMIN = `arn:aws:iam::${ACCOUNT}:user/admin`;
export const OUTSIDE_ACTIONS = ["kms:Put*", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:Decrypt"];

/** An Allow of `actions` to `principal` (`*` is anyone). */
export const allow = (Sid: string, principal: string | string[], Action: string | string[]) => ({
  Sid,
  Effect: "Allow",
  Principal: principal === "*" ? "*" : { AWS: principal },
  Action,
  Resource: "*",
});

/** The admin's `kms:*`, the `Outside` statement to `outsiders` for `actions`, then `extra` statements. */
export const crossAccountPolicy = (outsiders: string[], actions: string[], ...extra: unknown[]) => ({
  Version: "2012-10-17",
  Statement: [allow("Admin", ADMIN, "kms:*"), allow("Outside", outsiders, actions), ...extra],
});
