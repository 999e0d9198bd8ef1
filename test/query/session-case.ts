import { normalizeGrantee } from "../../src/events/index.js";
import type { CaseModel } from "../../src/model/index.js";
import {
  allow,
  at,
  buildModel,
  call,
  grant,
  key,
  keyArn,
  OUTSIDER,
  PARTNER,
  policyVersion,
  rootPolicy,
} from "./findings/case-builder.js";

/**
 * One key, two sessions of role Partner calling it: a grant names session `batch` only, a statement lets the
 * whole role Encrypt. Session `batch` decrypts twice (the grant explains it), session `nightly` once (nothing
 * does), and each encrypts once. Built by hand, for reach, usage and timeline asked about one session.
 */
export const K = keyArn("k-1");
export const sessionOf = (session: string) => `arn:aws:sts::${OUTSIDER}:assumed-role/Partner/${session}`;
export const BATCH = sessionOf("batch");
export const NIGHTLY = sessionOf("nightly");
export const GRANT_ID = "g-batch";

const partnerCall = (operation: string, minute: number, session: string) =>
  call(operation, at(minute), PARTNER, K, {
    sessionName: session,
    account: OUTSIDER,
    eventId: `${operation}-${session}-${minute}`,
  });

export function sessionCase(): CaseModel {
  return buildModel({
    keys: [
      key("k-1", {
        policies: [
          policyVersion(
            K,
            1,
            at(0),
            rootPolicy(allow("PartnerEncrypt", PARTNER, "kms:Encrypt")),
            "create-k-1",
          ),
        ],
      }),
    ],
    grants: [{ ...grant(GRANT_ID, K, BATCH), grantee: normalizeGrantee(BATCH) }],
    // As replay lists the role: the session names its calls were logged under.
    principals: [
      { id: PARTNER, kind: "role", account: OUTSIDER, sessionNames: ["batch", "nightly"], principalIds: [] },
    ],
    usage: [
      partnerCall("Decrypt", 10, "batch"),
      partnerCall("Decrypt", 11, "batch"),
      partnerCall("Decrypt", 12, "nightly"),
      partnerCall("Encrypt", 13, "batch"),
      partnerCall("Encrypt", 14, "nightly"),
    ],
  });
}
