import { readdir } from "node:fs/promises";
import { UsageError } from "../errors.js";
import { deliveryPath } from "./delivery-path.js";
import { DeliveryWriter } from "./delivery-writer.js";
import { type GenerateInput, generateOptionsSchema } from "./generate-options.js";
import { isoSeconds } from "./identities.js";
import { planKeys } from "./key-plan.js";
import { noiseAt } from "./noise-call.js";
import { Prng } from "./prng.js";
import { type Delivered, deliver, recordCount } from "./trail-record.js";
import { usageAt } from "./usage-call.js";
import { buildWorld } from "./world.js";

const WINDOW = 5 * 60_000;
/** Share of records delivered one to three files late (a file whose window is after the record's time). */
const LATE_SHARE = 0.003;

export interface GenerateSummary {
  out: string;
  seed: number;
  from: string;
  to: string;
  accounts: string[];
  regions: string[];
  keys: number;
  files: number;
  records: number;
  kmsRecords: number;
  /** Second copies of cross-account calls (logged in the caller's account too). */
  crossAccountCopies: number;
  lateRecords: number;
  bytes: number;
  /** The busiest key's ARN (created first), handy for who-can and usage questions on the trail. */
  exampleKey: string | null;
}

interface Counters {
  records: number;
  kms: number;
  copies: number;
  late: number;
}

function countDelivered(items: Delivered[], counters: Counters): void {
  counters.records += items.length;
  for (const item of items) if (item.kms) counters.kms++;
  counters.copies += items.length - 1;
}

function bucketOf(item: Delivered): string {
  return `${item.account}|${item.region}`;
}

/** A trail written into a directory that holds one already would mix with it (duplicates, conflicts). */
async function refuseNonEmpty(out: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(out);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return;
    if (code === "ENOTDIR") {
      throw new UsageError(`generate: --out ${out} is a file, or inside one: not a directory`, {
        hint: "name a new or empty directory",
        context: { out },
        cause: error,
      });
    }
    throw error;
  }
  if (entries.length > 0) {
    throw new UsageError(`generate: --out ${out} is not empty`, {
      hint: "name a new or empty directory: a trail written over another one would mix with it",
      context: { out },
    });
  }
}

/** The keys' lifecycles are written whatever --records says: it must leave room for them. */
function refuseTooFewRecords(records: number, keys: number, planned: number): void {
  if (planned <= records) return;
  throw new UsageError(
    `generate: --records ${records} is fewer than the ${planned} records the lifecycles of ${keys} keys write`,
    {
      hint: `ask for at least ${planned} records, or fewer keys (about ${Math.ceil(planned / keys)} records each)`,
      context: { planned },
    },
  );
}

/**
 * Writes a synthetic CloudTrail delivery under `out` (new or empty), one five-minute window at a time: the
 * window's planned management calls, then KMS usage and non-KMS noise up to the cumulative targets for
 * --records and --kms-fraction, then one file per account and region. A target leaves room for the planned
 * records still to come, so the trail holds exactly --records records. Only the key plan and a few late records
 * outlive a window, so memory stays flat however many records are asked for.
 */
export async function generateTrail(input: GenerateInput): Promise<GenerateSummary> {
  const options = generateOptionsSchema.parse(input);
  await refuseNonEmpty(options.out);
  const prng = new Prng(options.seed);
  const span = { start: options.start, end: options.start + Math.round(options.days * 86_400_000) };
  const world = buildWorld(options.accounts, options.regions, prng);
  const plan = planKeys(world, options.keys, span, prng);
  let plannedLeft = plan.calls.reduce((sum, call) => sum + recordCount(call), 0);
  refuseTooFewRecords(options.records, options.keys, plannedLeft);
  const kmsRecords = Math.round(options.records * options.kmsFraction);
  const writer = new DeliveryWriter(options.out);
  const windows = Math.max(1, Math.ceil((span.end - span.start) / WINDOW));
  const late = new Map<number, Delivered[]>();
  const counters: Counters = { records: 0, kms: 0, copies: 0, late: 0 };
  let nextCall = 0;

  for (let w = 0; w < windows; w++) {
    const from = span.start + w * WINDOW;
    const to = Math.min(from + WINDOW, span.end);
    const items: Delivered[] = [];
    const add = (delivered: Delivered[]) => {
      countDelivered(delivered, counters);
      items.push(...delivered);
    };
    while (nextCall < plan.calls.length && (plan.calls[nextCall]?.time ?? Infinity) < to) {
      const call = plan.calls[nextCall++];
      if (!call) continue;
      plannedLeft -= recordCount(call);
      add(deliver(call, prng));
    }
    const totalTarget = Math.min(
      Math.round((options.records * (w + 1)) / windows),
      options.records - plannedLeft,
    );
    const kmsTarget = Math.min(Math.round((kmsRecords * (w + 1)) / windows), kmsRecords - plannedLeft);
    while (counters.kms < kmsTarget && counters.records < totalTarget) {
      const room = Math.min(kmsTarget - counters.kms, totalTarget - counters.records) >= 2;
      const call = usageAt(world, plan.keys, from + prng.int(to - from), room, prng);
      if (!call) break;
      add(deliver(call, prng));
    }
    while (counters.records < totalTarget) {
      const account = prng.pick(world.accounts);
      add(deliver(noiseAt(account, prng.pick(world.regions), from + prng.int(to - from), prng), prng));
    }
    const files = new Map<string, Delivered[]>();
    const file = (item: Delivered) => {
      const bucket = files.get(bucketOf(item));
      if (bucket) bucket.push(item);
      else files.set(bucketOf(item), [item]);
    };
    for (const item of late.get(w) ?? []) file(item);
    late.delete(w);
    for (const item of items) {
      const lag = prng.chance(LATE_SHARE) ? prng.between(1, 3) : 0;
      if (lag === 0 || w + lag >= windows) {
        file(item);
        continue;
      }
      counters.late++;
      const later = late.get(w + lag);
      if (later) later.push(item);
      else late.set(w + lag, [item]);
    }
    for (const bucket of [...files.keys()].sort()) {
      const records = (files.get(bucket) ?? []).sort((a, b) => a.time - b.time);
      const first = records[0] as Delivered;
      const path = deliveryPath(first.account, first.region, to, prng.alnum(16));
      await writer.write(
        path,
        records.map((item) => item.record),
      );
    }
  }
  await writer.close();
  return {
    out: options.out,
    seed: options.seed,
    from: isoSeconds(span.start),
    to: isoSeconds(span.end),
    accounts: world.accounts.map((account) => account.id),
    regions: world.regions,
    keys: plan.keys.length,
    files: writer.files,
    records: counters.records,
    kmsRecords: counters.kms,
    crossAccountCopies: counters.copies,
    lateRecords: counters.late,
    bytes: writer.bytes,
    exampleKey: plan.keys[0]?.arn ?? null,
  };
}
