import { describe, expect, it } from "vitest";
import { reach } from "../../src/query/index.js";
import {
  ADMIN,
  APP,
  alias,
  allow,
  at,
  buildModel,
  grant,
  key,
  keyArn,
  policyVersion,
} from "./findings/case-builder.js";

/**
 * reach over a window lists the aliases that pointed at a reached key while a route to it held: between two
 * instants evaluated the routes do not change, but an alias may start (or stop) pointing at the key there.
 */
const K = keyArn("k-1");
/** A key policy naming only the admin (no IAM delegation: App has no route of its own account) and `extra`. */
const adminOnly = (...extra: unknown[]) => ({
  Version: "2012-10-17",
  Statement: [allow("Admin", ADMIN, "kms:*"), ...extra],
});

describe("reach: aliases of a key over a window", () => {
  // A policy naming the admin only from 0; a grant to App over [5, 30): the instants evaluated are 0, 5 and 30.
  const grantCase = () =>
    buildModel({
      keys: [key("k-1", { policies: [policyVersion(K, 1, at(0), adminOnly(), "PutKeyPolicy-1")] })],
      grants: [{ ...grant("g-1", K, APP), to: at(30) }],
      aliases: [
        alias("alias/before", K, at(1), at(3), "CreateAlias-before"),
        alias("alias/inside", K, at(20), null, "CreateAlias-inside"),
        alias("alias/after-route", K, at(40), null, "CreateAlias-after-route"),
      ],
    });

  it("lists an alias created between two instants while a grant route holds", () => {
    const report = reach(grantCase(), APP, { from: at(0), to: at(60) });
    expect(report.keys.map((entry) => entry.key.arn)).toEqual([K]);
    // Not the alias that pointed at the key only before the grant, nor the one created after it was retired.
    expect(report.keys[0]?.key.aliases).toEqual(["alias/inside"]);
  });

  it("lists an alias created after the last instant, up to the window's end (inclusive), and none after", () => {
    // Policy v2 names App from 10: the last instant evaluated is 10.
    const model = buildModel({
      keys: [
        key("k-1", {
          policies: [
            { ...policyVersion(K, 1, at(0), adminOnly(), "PutKeyPolicy-1"), to: at(10) },
            policyVersion(K, 2, at(10), adminOnly(allow("App", APP)), "PutKeyPolicy-2"),
          ],
        }),
      ],
      aliases: [
        alias("alias/late", K, at(25), null, "CreateAlias-late"),
        alias("alias/at-end", K, at(60), null, "CreateAlias-at-end"),
        alias("alias/past-end", K, at(61), null, "CreateAlias-past-end"),
        alias("alias/early", K, at(2), at(8), "CreateAlias-early"),
      ],
    });
    const report = reach(model, APP, { from: at(0), to: at(60) });
    expect(report.keys[0]?.key.aliases).toEqual(["alias/at-end", "alias/late"]);
    // Asked at one instant, the aliases of that instant only.
    expect(reach(model, APP, { at: at(30) }).keys[0]?.key.aliases).toEqual(["alias/late"]);
    expect(reach(model, APP, { at: at(60) }).keys[0]?.key.aliases).toEqual(["alias/at-end", "alias/late"]);
  });

  it("lists every alias of the window for a principal whose route holds throughout it", () => {
    const report = reach(grantCase(), ADMIN, { from: at(0), to: at(60) });
    // The admin's route (a statement naming it) holds over the whole window: every alias of it is listed.
    expect(report.keys[0]?.key.aliases).toEqual(["alias/after-route", "alias/before", "alias/inside"]);
  });
});
