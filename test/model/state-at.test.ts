import { describe, expect, it } from "vitest";
import { CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { keyAt, keyHistory } from "../../src/query/index.js";

const KEY_ARN = "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

describe("a key's state at an instant", () => {
  /**
   * AWS's documentation samples reuse one key id on every page, so a trail of them has a CreateKey dated after
   * calls on the key (fixtures/edge-cases/create-key-after-use: DisableKey 10:00, EnableKey 11:00, Decrypt
   * 11:30, CreateKey 12:00). The history shows what those calls recorded; a question at such an instant must
   * say the same, not NotCreated (which made usage and findings refuse every call as made to no key).
   */
  it("before the key's CreateKey, is what earlier records set, and NotCreated only where none did", async () => {
    const model = new CaseModel(await replayInputs(["fixtures/edge-cases/create-key-after-use"]));
    const stateAt = (time: string) => keyAt(model, KEY_ARN, Date.parse(`2024-03-02T${time}Z`));
    expect(stateAt("10:30:00")).toMatchObject({ state: "Disabled", stateConfidence: "recorded" });
    // Said, since it contradicts the CreateKey the trail also holds.
    expect(stateAt("10:30:00").caveats.join(" ")).toMatch(
      /logs this key's CreateKey later, at 2024-03-02T12:00:00/,
    );
    expect(stateAt("12:30:00").caveats.join(" ")).not.toMatch(/CreateKey later/);
    expect(stateAt("11:30:00")).toMatchObject({ state: "Enabled", stateConfidence: "recorded" });
    expect(stateAt("09:00:00").state).toBe("NotCreated");
    expect(stateAt("12:30:00").state).toBe("Enabled");
    const history = keyHistory(model, KEY_ARN).states.map((interval) => interval.value);
    expect(history).toEqual(["Disabled", "Enabled", "Enabled"]);
  });
});
