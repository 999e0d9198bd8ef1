import { describe, expect, it } from "vitest";
import { ACCOUNT, BASE, KEY_ARN, KEY_ID, KEY_RESOURCES, kmsRecord, normalized } from "./helpers.js";

const MATERIAL = "96083e4fb6dbc41d77578a213a6b6669c044dd4c143e96755396d2bf11fd6068";

describe("imported key material normalizers", () => {
  it("ImportKeyMaterial: validTo in the `May 21, 2025, 5:47:45 AM` form", () => {
    const record = kmsRecord({
      eventName: "ImportKeyMaterial",
      requestParameters: {
        keyId: KEY_ID,
        validTo: "May 21, 2025, 5:47:45 AM",
        expirationModel: "KEY_MATERIAL_EXPIRES",
        importType: "NEW_KEY_MATERIAL",
      },
      responseElements: { keyId: KEY_ARN, keyMaterialId: MATERIAL },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "ImportKeyMaterial",
      key: { arn: KEY_ARN, alias: null, raw: KEY_ID },
      validTo: Date.UTC(2025, 4, 21, 5, 47, 45),
      expirationModel: "KEY_MATERIAL_EXPIRES",
      keyMaterialId: MATERIAL,
      importType: "NEW_KEY_MATERIAL",
    });
  });

  it("GetParametersForImport", () => {
    const record = kmsRecord({
      eventName: "GetParametersForImport",
      requestParameters: {
        keyId: KEY_ID,
        wrappingAlgorithm: "RSAES_OAEP_SHA_256",
        wrappingKeySpec: "RSA_2048",
      },
      responseElements: { keyId: KEY_ARN, parametersValidTo: 1709397600 },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "GetParametersForImport",
      key: { arn: KEY_ARN, alias: null, raw: KEY_ID },
      wrappingAlgorithm: "RSAES_OAEP_SHA_256",
      wrappingKeySpec: "RSA_2048",
      parametersValidTo: Date.UTC(2024, 2, 2, 16, 40, 0),
    });
  });

  it("DeleteExpiredKeyMaterial service event: key and material from serviceEventDetails", () => {
    const record = kmsRecord({
      eventName: "DeleteExpiredKeyMaterial",
      userIdentity: { accountId: ACCOUNT, invokedBy: "kms.amazonaws.com" },
      requestParameters: null,
      responseElements: null,
      serviceEventDetails: { keyId: KEY_ID, keyMaterialId: MATERIAL },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toMatchObject({
      name: "DeleteExpiredKeyMaterial",
      key: { arn: KEY_ARN, raw: KEY_ID },
      keyMaterialId: MATERIAL,
      invokedBy: "kms.amazonaws.com",
    });
  });
});
