import { z } from "zod";

const KMS_SOURCE = "kms.amazonaws.com";

type Coverage = { read: boolean; write: boolean };

const basicSelectorSchema = z.looseObject({
  includeManagementEvents: z.boolean().nullish(),
  excludeManagementEventSources: z.array(z.string()).nullish(),
  readWriteType: z.string().nullish(),
});

// Advanced selectors are logged as `field`/`equals`/`notEquals`; accept the API's PascalCase spelling too.
const fieldSelectorSchema = z.preprocess(
  (value) =>
    typeof value === "object" && value !== null
      ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v]))
      : value,
  z.looseObject({
    field: z.string(),
    equals: z.array(z.string()).nullish(),
    notEquals: z.array(z.string()).nullish(),
  }),
);

const selectorsSchema = z.looseObject({
  eventSelectors: z.array(basicSelectorSchema).nullish(),
  advancedEventSelectors: z
    .array(
      z.preprocess(
        (value) =>
          typeof value === "object" && value !== null && "FieldSelectors" in value
            ? { fieldSelectors: value.FieldSelectors }
            : value,
        z.looseObject({ fieldSelectors: z.array(fieldSelectorSchema) }),
      ),
    )
    .nullish(),
});

type FieldSelector = z.infer<typeof fieldSelectorSchema>;

/**
 * Whether PutEventSelectors' selectors, as put, log every KMS management event (reads such as Decrypt and
 * writes such as PutKeyPolicy): false when management events are off, `kms.amazonaws.com` is excluded, or
 * only reads or only writes are logged; null when the selectors cannot be read.
 */
export function kmsManagementLogged(requestParameters: unknown): boolean | null {
  const parsed = selectorsSchema.safeParse(requestParameters);
  if (!parsed.success) return null;
  const { eventSelectors, advancedEventSelectors } = parsed.data;
  if (advancedEventSelectors)
    return isFull(advancedEventSelectors.map((s) => advancedCoverage(s.fieldSelectors)));
  if (eventSelectors) return isFull(eventSelectors.map(basicCoverage));
  return null;
}

function isFull(coverages: Coverage[]): boolean {
  return coverages.some((c) => c.read) && coverages.some((c) => c.write);
}

function readWrite(readOnly: boolean | null): Coverage {
  return { read: readOnly !== false, write: readOnly !== true };
}

const NONE: Coverage = { read: false, write: false };

function basicCoverage(selector: z.infer<typeof basicSelectorSchema>): Coverage {
  if (selector.includeManagementEvents === false) return NONE;
  if (selector.excludeManagementEventSources?.includes(KMS_SOURCE)) return NONE;
  const type = selector.readWriteType ?? "All";
  return readWrite(type === "ReadOnly" ? true : type === "WriteOnly" ? false : null);
}

function advancedCoverage(fields: FieldSelector[]): Coverage {
  const byField = (name: string) => fields.filter((f) => f.field === name);
  const management = byField("eventCategory").some((f) => f.equals?.includes("Management"));
  if (!management) return NONE;
  const sources = byField("eventSource");
  if (sources.some((f) => f.notEquals?.includes(KMS_SOURCE))) return NONE;
  if (sources.some((f) => f.equals && !f.equals.includes(KMS_SOURCE))) return NONE;
  const readOnly = byField("readOnly").find((f) => f.equals?.length === 1)?.equals?.[0];
  return readWrite(readOnly === undefined ? null : readOnly === "true");
}
