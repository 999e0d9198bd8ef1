import { describe, expect, it } from "vitest";
import type { RawRecord } from "../../src/ingest/types.js";
import { CaseModel, type Interval, type KeyState, type StoreConnection } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { keyAt, keyHistory, timeline, usage, whoCanAt } from "../../src/query/index.js";
import { withConnection } from "../../src/replay/store-connection.js";
import { ACCOUNT, KEY_ARN, KEY_ID, KEY_RESOURCES, kmsRecord } from "../events/helpers.js";
import { replayRecords } from "../support/trail-records.js";

/**
 * Keys in a custom key store (AWS KMS developer guide, "Key states", "Connecting and disconnecting a custom key
 * store"): a disconnected store's keys are Unavailable (a key pending deletion stays PendingDeletion), a
 * ConnectCustomKeyStore starts a connection that completes later or fails, and a success that needs the store
 * connected shows it connected.
 */

const STORE = "cks-1234567890abcdef0";
const DAY = "2024-03-02";
const at = (time: string) => Date.parse(`${DAY}T${time}Z`);

let counter = 0;
const nextId = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, "0")}`;

function storeRecord(eventName: string, time: string, eventID = nextId()): RawRecord {
  return kmsRecord({
    eventName,
    eventTime: `${DAY}T${time}Z`,
    eventID,
    requestParameters: { customKeyStoreId: STORE },
    responseElements: null,
    additionalEventData: { customKeyStoreName: "ExampleKeyStore", clusterId: "cluster-1a23b4cdefg" },
  });
}

function createStore(time: string): RawRecord {
  return kmsRecord({
    eventName: "CreateCustomKeyStore",
    eventTime: `${DAY}T${time}Z`,
    eventID: nextId(),
    requestParameters: { customKeyStoreName: "ExampleKeyStore", clusterId: "cluster-1a23b4cdefg" },
    responseElements: { customKeyStoreId: STORE },
  });
}

function createKeyInStore(time: string, storeId: string | null = STORE): RawRecord {
  return kmsRecord({
    eventName: "CreateKey",
    eventTime: `${DAY}T${time}Z`,
    eventID: "create-key",
    requestParameters: {
      keySpec: "SYMMETRIC_DEFAULT",
      keyUsage: "ENCRYPT_DECRYPT",
      origin: storeId ? "AWS_CLOUDHSM" : "AWS_KMS",
      ...(storeId ? { customKeyStoreId: storeId } : {}),
    },
    responseElements: {
      keyMetadata: {
        keyId: KEY_ID,
        arn: KEY_ARN,
        keyState: "Enabled",
        origin: storeId ? "AWS_CLOUDHSM" : "AWS_KMS",
        ...(storeId ? { customKeyStoreId: storeId, cloudHsmClusterId: "cluster-1a23b4cdefg" } : {}),
      },
    },
    resources: KEY_RESOURCES,
  });
}

function keyCall(eventName: string, time: string, eventID = nextId(), errorCode?: string): RawRecord {
  return kmsRecord({
    eventName,
    eventTime: `${DAY}T${time}Z`,
    eventID,
    readOnly: eventName === "Decrypt",
    requestParameters: {
      keyId: KEY_ARN,
      ...(eventName === "Decrypt" ? { encryptionAlgorithm: "SYMMETRIC_DEFAULT" } : {}),
    },
    responseElements: null,
    resources: KEY_RESOURCES,
    ...(errorCode ? { errorCode, errorMessage: `${KEY_ARN} is unavailable.` } : {}),
  });
}

const stateAt = (model: CaseModel, time: string) => keyAt(model, KEY_ARN, at(time));

/** The key created in the store 09:20:00, the store disconnected 10:00:00 (eventID `disconnect`), then `rest`. */
const afterDisconnect = (...rest: RawRecord[]) =>
  replayRecords([
    createKeyInStore("09:20:00"),
    storeRecord("DisconnectCustomKeyStore", "10:00:00", "disconnect"),
    ...rest,
  ]);

describe("a key in a disconnected custom key store", () => {
  const trail = () => [
    createStore("09:00:00"),
    storeRecord("ConnectCustomKeyStore", "09:02:00"),
    createKeyInStore("09:20:00"),
    keyCall("Decrypt", "09:30:00"),
    storeRecord("DisconnectCustomKeyStore", "10:00:00", "disconnect"),
    keyCall("Decrypt", "10:15:00", nextId(), "KMSInvalidStateException"),
  ];

  it("is Unavailable from the Disconnect, inferred, with the Disconnect as provenance", async () => {
    const model = await replayRecords(trail());
    expect(stateAt(model, "09:59:59")).toMatchObject({ state: "Enabled", stateConfidence: "recorded" });
    const report = stateAt(model, "10:00:00");
    expect(report).toMatchObject({
      state: "Unavailable",
      stateKnown: true,
      stateConfidence: "inferred",
      stateEventIds: ["disconnect"],
      customKeyStore: {
        id: STORE,
        connection: "Disconnected",
        connectionEventIds: ["disconnect"],
        ownState: "Enabled",
      },
    });
    expect(report.caveats.join("\n")).toContain(
      `custom key store ${STORE} (ExampleKeyStore), disconnected since`,
    );
    expect(report.caveats.join("\n")).toContain("(disconnect)");
  });

  it("who-can: Decrypt is blocked by Unavailable, management operations are not", async () => {
    const model = await replayRecords(trail());
    const decrypt = whoCanAt(model, KEY_ARN, at("10:30:00"), { operation: "Decrypt" });
    expect(decrypt).toMatchObject({
      usable: false,
      blockedBy: "Unavailable",
      key: { state: "Unavailable", stateConfidence: "inferred", stateEventIds: ["disconnect"] },
    });
    expect(decrypt.caveats.some((caveat) => caveat.includes("disconnected since"))).toBe(true);
    expect(whoCanAt(model, KEY_ARN, at("10:30:00"), { operation: "DisableKey" }).usable).toBe(true);
    expect(whoCanAt(model, KEY_ARN, at("09:45:00"), { operation: "Decrypt" })).toMatchObject({
      usable: true,
      blockedBy: null,
    });
  });

  it("the Disconnect is in the key's history and timeline", async () => {
    const model = await replayRecords(trail());
    const history = keyHistory(model, KEY_ARN);
    expect(history.states.map((state) => [state.value, state.confidence, state.openedBy])).toEqual([
      ["Enabled", "recorded", ["create-key"]],
      ["Unavailable", "inferred", ["disconnect"]],
    ]);
    expect(history.customKeyStore?.ownStates.map((state) => state.value)).toEqual(["Enabled"]);
    expect(history.events.map((event) => event.name)).toContain("DisconnectCustomKeyStore");
    const lines = timeline(model, { key: KEY_ARN }).entries.map((entry) => entry.name);
    expect(lines).toContain("DisconnectCustomKeyStore");
  });

  it("attribution: the failed Decrypt is refused by the state, the earlier one explained", async () => {
    const model = await replayRecords(trail());
    const report = usage(model, { key: KEY_ARN });
    const calls = report.calls.filter((call) => call.operation === "Decrypt");
    expect(calls.reduce((sum, call) => sum + call.count, 0)).toBe(1);
    expect(calls.reduce((sum, call) => sum + call.denied, 0)).toBe(1);
  });

  it("a key not created in a custom key store is not affected by a store's Disconnect", async () => {
    const model = await replayRecords([
      createKeyInStore("09:20:00", null),
      storeRecord("DisconnectCustomKeyStore", "10:00:00"),
    ]);
    expect(stateAt(model, "10:30:00")).toMatchObject({ state: "Enabled", customKeyStore: null });
    expect(model.data.keys[0]?.customKeyStoreId).toBeUndefined();
    expect(model.data.keys[0]?.ownStates).toBeUndefined();
  });
});

describe("connecting a custom key store", () => {
  it("after a Connect the key's state is Unknown (usable, with a caveat) until a successful call shows it connected", async () => {
    const model = await afterDisconnect(
      storeRecord("ConnectCustomKeyStore", "10:30:00", "connect"),
      keyCall("Decrypt", "10:50:00", "first-use"),
    );
    const connecting = stateAt(model, "10:40:00");
    expect(connecting).toMatchObject({
      state: "Unknown",
      stateKnown: false,
      customKeyStore: { connection: "Connecting", connectionEventIds: ["connect"], ownState: "Enabled" },
    });
    expect(connecting.caveats.join("\n")).toContain("KMS connects asynchronously");
    const who = whoCanAt(model, KEY_ARN, at("10:40:00"), { operation: "Decrypt" });
    expect(who).toMatchObject({
      usable: true,
      blockedBy: null,
      key: { state: "Unknown", stateKnown: false },
    });
    expect(who.caveats.join("\n")).toContain("ConnectCustomKeyStore at 2024-03-02T10:30:00.000Z (connect)");
    expect(stateAt(model, "10:50:00")).toMatchObject({
      state: "Enabled",
      stateConfidence: "inferred",
      stateEventIds: ["first-use"],
      customKeyStore: { connection: "Connected", connectionConfidence: "inferred" },
      caveats: [],
    });
    const line = timeline(model, { key: KEY_ARN }).entries.find((entry) => entry.kind === "state");
    expect(line).toMatchObject({
      time: "2024-03-02T10:50:00.000Z",
      confidence: "inferred",
      eventIds: ["first-use"],
    });
    expect(line?.summary).toContain(`a successful call shows custom key store ${STORE} connected`);
  });

  it("a CreateKey in the store shows it connected: the new key is Enabled, recorded", async () => {
    const model = await replayRecords([
      createStore("09:00:00"),
      storeRecord("ConnectCustomKeyStore", "09:02:00"),
      createKeyInStore("09:20:00"),
    ]);
    expect(stateAt(model, "09:20:00")).toMatchObject({
      state: "Enabled",
      stateConfidence: "recorded",
      customKeyStore: {
        connection: "Connected",
        connectionConfidence: "inferred",
        connectionEventIds: ["create-key"],
      },
      caveats: [],
    });
    expect(model.data.customKeyStores?.[0]?.connection.map((link) => link.value)).toEqual([
      "Disconnected",
      "Connecting",
      "Connected",
    ]);
  });

  it("a Connect on a store the trail shows connected changes nothing", async () => {
    const model = await replayRecords([
      createKeyInStore("09:20:00"),
      storeRecord("ConnectCustomKeyStore", "09:30:00"),
    ]);
    expect(stateAt(model, "09:40:00")).toMatchObject({ state: "Enabled", stateConfidence: "recorded" });
  });
});

describe("evidence against a disconnection", () => {
  it("a success long after a Disconnect, with no Connect logged, shows the store connected again (not contradicted)", async () => {
    const model = await afterDisconnect(keyCall("Decrypt", "10:40:00", "late-use"));
    const before = stateAt(model, "10:20:00");
    expect(before.state).toBe("Unavailable");
    expect(before.caveats.join("\n")).toContain("no ConnectCustomKeyStore before it is in the trail");
    expect(before.caveats.join("\n")).toContain("(late-use)");
    expect(stateAt(model, "10:40:00")).toMatchObject({
      state: "Enabled",
      stateConfidence: "inferred",
      stateEventIds: ["late-use"],
    });
    const report = usage(model, { key: KEY_ARN });
    expect(report.calls.every((call) => call.denied === 0)).toBe(true);
  });

  it("a success within KMS's propagation delay after a Disconnect is no evidence of a reconnection", async () => {
    const model = await afterDisconnect(keyCall("Decrypt", "10:02:00", "in-flight"));
    expect(stateAt(model, "10:30:00")).toMatchObject({ state: "Unavailable", stateEventIds: ["disconnect"] });
  });

  it("a failed call does not change the connection", async () => {
    const model = await afterDisconnect(
      storeRecord("ConnectCustomKeyStore", "10:30:00"),
      keyCall("Decrypt", "10:50:00", nextId(), "KMSInvalidStateException"),
    );
    expect(stateAt(model, "11:00:00")).toMatchObject({
      state: "Unknown",
      customKeyStore: { connection: "Connecting" },
    });
  });
});

describe("the key's own state under a disconnected store", () => {
  it("DisableKey while disconnected: Unavailable until the store is connected, then Disabled", async () => {
    const model = await afterDisconnect(
      keyCall("DisableKey", "10:10:00", "disable"),
      storeRecord("ConnectCustomKeyStore", "10:30:00", "connect"),
    );
    // While connecting, a Disabled key refuses cryptography whatever the connection, and is shown as it is.
    const [disconnected, connecting] = ["10:20:00", "10:40:00"].map((time) => stateAt(model, time));
    expect([disconnected?.state, disconnected?.customKeyStore?.ownState]).toEqual([
      "Unavailable",
      "Disabled",
    ]);
    expect(disconnected?.caveats.join("\n")).toContain("the key's own state is Disabled (disable)");
    expect([connecting?.state, connecting?.customKeyStore?.connection]).toEqual(["Disabled", "Connecting"]);
    const event = keyHistory(model, KEY_ARN).events.find((line) => line.name === "DisableKey");
    expect(event?.summary).toContain("stays Unavailable while its custom key store");
  });

  it("a key pending deletion stays PendingDeletion when the store disconnects", async () => {
    const model = await replayRecords([
      createKeyInStore("09:20:00"),
      kmsRecord({
        eventName: "ScheduleKeyDeletion",
        eventTime: `${DAY}T09:40:00Z`,
        eventID: "schedule",
        requestParameters: { keyId: KEY_ARN, pendingWindowInDays: 7 },
        responseElements: { keyId: KEY_ARN, keyState: "PendingDeletion" },
        resources: KEY_RESOURCES,
      }),
      storeRecord("DisconnectCustomKeyStore", "10:00:00"),
      keyCall("CancelKeyDeletion", "10:10:00", "cancel"),
    ]);
    expect(stateAt(model, "10:05:00")).toMatchObject({
      state: "PendingDeletion",
      stateEventIds: ["schedule"],
    });
    // CancelKeyDeletion leaves it Disabled, which KMS reports as Unavailable while the store is disconnected.
    expect(stateAt(model, "10:10:00")).toMatchObject({ state: "Unavailable", stateEventIds: ["cancel"] });
  });
});

describe("withConnection", () => {
  const interval = <T>(
    from: number,
    to: number | null,
    value: T,
    ids: string[],
    confidence: Interval<T>["confidence"] = "recorded",
  ): Interval<T> => ({
    from,
    to,
    value,
    openedBy: ids,
    closedBy: [],
    confidence,
  });

  it("keeps a key's states as they are while its store is connected", () => {
    const own: Interval<KeyState>[] = [
      interval(10, 20, "Enabled", ["c"]),
      interval(20, null, "Disabled", ["d"]),
    ];
    own[0] = { ...(own[0] as Interval<KeyState>), closedBy: ["d"] };
    const connection: Interval<StoreConnection>[] = [
      interval(0, 10, "Unknown", [], "unknown"),
      interval(10, null, "Connected", ["c"], "inferred"),
    ];
    expect(withConnection(own, connection)).toEqual(own);
  });

  it("an unknown connection makes an Enabled key Unknown, never a Disabled one", () => {
    const own: Interval<KeyState>[] = [
      interval(10, 20, "Disabled", ["a"]),
      interval(20, null, "Enabled", ["b"]),
    ];
    const connection: Interval<StoreConnection>[] = [interval(0, null, "Unknown", [], "unknown")];
    expect(
      withConnection(own, connection).map((state) => [state.from, state.value, state.confidence]),
    ).toEqual([
      [10, "Disabled", "recorded"],
      [20, "Unknown", "unknown"],
    ]);
  });

  it("a Deleted store leaves its keys Unavailable, a deleted key Deleted", () => {
    const own: Interval<KeyState>[] = [
      interval(10, 30, "Enabled", ["a"]),
      interval(30, null, "Deleted", ["x"]),
    ];
    const connection: Interval<StoreConnection>[] = [
      interval(0, 20, "Connected", ["a"], "inferred"),
      interval(20, null, "Deleted", ["del"]),
    ];
    expect(withConnection(own, connection).map((state) => [state.from, state.value, state.openedBy])).toEqual(
      [
        [10, "Enabled", ["a"]],
        [20, "Unavailable", ["del"]],
        [30, "Deleted", ["x"]],
      ],
    );
  });
});

it("a case's key accounts for its store (same account and Region)", async () => {
  const model = await replayRecords([createKeyInStore("09:20:00")]);
  expect(model.data.customKeyStores).toMatchObject([
    { id: STORE, account: ACCOUNT, region: "us-west-2", keys: [KEY_ARN] },
  ]);
});

describe("fixtures/scenarios/custom-key-store", () => {
  const LEDGER_KEY = "arn:aws:kms:us-east-1:111122223333:key/80b8d7f3-d6f7-42dd-9d21-44923a6e98fa";
  const DISCONNECT = "36316bbf-5481-4631-82e8-3dcfb2c27d1d";
  const loaded = replayInputs(["fixtures/scenarios/custom-key-store"]).then((data) => new CaseModel(data));

  it("follows the store's connection through Connect, CreateKey, Disconnect, Connect and a later success", async () => {
    const model = await loaded;
    const store = model.data.customKeyStores?.[0];
    expect(store).toMatchObject({
      id: "cks-5d8e2f1a9b3c4e607",
      name: "ledger-hsm",
      type: "AWS_CLOUDHSM",
      keys: [LEDGER_KEY],
    });
    const links = store?.connection.map(
      (link) => `${new Date(link.from).toISOString().slice(11, 19)} ${link.value} (${link.confidence})`,
    );
    expect(links?.join(", ")).toBe(
      "09:00:00 Disconnected (inferred), 09:02:00 Connecting (recorded), 09:20:00 Connected (inferred), " +
        "10:00:00 Disconnected (recorded), 10:30:00 Connecting (recorded), 10:50:00 Connected (inferred)",
    );
  });

  it("who-can Decrypt after the Disconnect: not usable, blocked by Unavailable, with the Disconnect as provenance", async () => {
    const report = whoCanAt(await loaded, LEDGER_KEY, Date.parse("2024-07-09T10:20:00Z"), {
      operation: "Decrypt",
    });
    expect(report).toMatchObject({
      usable: false,
      blockedBy: "Unavailable",
      key: {
        state: "Unavailable",
        stateKnown: true,
        stateConfidence: "inferred",
        stateEventIds: [DISCONNECT],
      },
    });
    expect(report.caveats.some((caveat) => caveat.includes(DISCONNECT))).toBe(true);
  });

  it("usage: the three successful Decrypts explained, the refused one counted denied", async () => {
    const report = usage(await loaded, { key: LEDGER_KEY });
    expect(report.calls).toMatchObject([
      { operation: "Decrypt", count: 3, denied: 1, attribution: { none: 0 } },
    ]);
  });
});
