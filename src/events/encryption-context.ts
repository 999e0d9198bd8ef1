import { z } from "zod";

/** Encryption context values are strings in KMS; anything else a log carries is stringified, not dropped. */
export const encryptionContextSchema = z
  .record(z.string(), z.unknown())
  .transform((context) =>
    Object.fromEntries(
      Object.entries(context).map(([key, value]) => [
        key,
        typeof value === "string" ? value : JSON.stringify(value),
      ]),
    ),
  );
