import { aliasRepointed } from "./alias-repointed.js";
import { deniedBurst } from "./denied-burst.js";
import type { Detector } from "./detector.js";
import { externalUseBurst } from "./external-use-burst.js";
import { foreignCreateGrant } from "./foreign-create-grant.js";
import { grantOutsideAccount } from "./grant-outside-account.js";
import { importedMaterial } from "./imported-material.js";
import { keyInUseDisabled } from "./key-in-use-disabled.js";
import { loggingBlindSpot } from "./logging-blind-spot.js";
import { policyOpened } from "./policy-opened.js";
import { reencryptBurst } from "./reencrypt-burst.js";
import { rootDelegationRemoved } from "./root-delegation-removed.js";
import { unexplainedUse } from "./unexplained-use.js";

export interface DetectorSpec {
  detect: Detector;
  title: string;
  /** false for detectors whose finding is itself a gap (a caveat would only repeat it) */
  gapCaveats: boolean;
}

/** Every detector `findings` runs (DESIGN §8), by the name findings carry as `detector`. */
export const DETECTORS = {
  "policy-opened": {
    detect: policyOpened,
    title: "key policy opened to another account or to *",
    gapCaveats: true,
  },
  "root-delegation-removed": {
    detect: rootDelegationRemoved,
    title: "key policy removed the account's IAM delegation",
    gapCaveats: true,
  },
  "grant-outside-account": {
    detect: grantOutsideAccount,
    title: "grant to a principal outside the key's account",
    gapCaveats: true,
  },
  "foreign-create-grant": {
    detect: foreignCreateGrant,
    title: "CreateGrant by a non-service principal of another account",
    gapCaveats: true,
  },
  "alias-repointed": {
    detect: aliasRepointed,
    title: "alias moved to a key of another account or a key created shortly before",
    gapCaveats: true,
  },
  "key-in-use-disabled": {
    detect: keyInUseDisabled,
    title: "ScheduleKeyDeletion or DisableKey of a key in use",
    gapCaveats: true,
  },
  "imported-material": {
    detect: importedMaterial,
    title: "short-lived imported key material, or DeleteImportedKeyMaterial",
    gapCaveats: true,
  },
  "reencrypt-burst": {
    detect: reencryptBurst,
    title: "burst of ReEncrypt into a new or foreign key",
    gapCaveats: true,
  },
  "external-use-burst": {
    detect: externalUseBurst,
    title: "burst of cryptographic calls from another account",
    gapCaveats: true,
  },
  "logging-blind-spot": {
    detect: loggingBlindSpot,
    title: "logging stopped, trail deleted, or KMS events excluded",
    gapCaveats: false,
  },
  "denied-burst": { detect: deniedBurst, title: "burst of denied calls by one principal", gapCaveats: true },
  "unexplained-use": {
    detect: unexplainedUse,
    title: "successful calls the replayed state refuses or does not explain",
    gapCaveats: true,
  },
} as const satisfies Record<string, DetectorSpec>;

export type DetectorName = keyof typeof DETECTORS;
