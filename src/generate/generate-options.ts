import { z } from "zod";
import { wholeNumberSchema } from "../whole-number.js";
import { REGIONS } from "./world.js";

const DEFAULT_START = Date.UTC(2024, 5, 1);

/** What `generateTrail` takes; the CLI parses argv into it. `start` is ms since epoch (UTC). */
export const generateOptionsSchema = z.object({
  out: z.string().min(1, "name the output directory with --out"),
  records: wholeNumberSchema(1).default(100_000),
  kmsFraction: z.coerce.number().min(0).max(1).default(0.4),
  accounts: wholeNumberSchema(1, 50).default(3),
  regions: wholeNumberSchema(1, REGIONS.length).default(2),
  keys: wholeNumberSchema(1, 100_000).default(40),
  seed: wholeNumberSchema(0, 0xffffffff).default(1),
  start: z.number().int().default(DEFAULT_START),
  days: z.coerce.number().positive().max(3660).default(1),
});
export type GenerateOptions = z.infer<typeof generateOptionsSchema>;
export type GenerateInput = z.input<typeof generateOptionsSchema>;
