export { deliveryPath } from "./delivery-path.js";
export { type GenerateInput, type GenerateOptions, generateOptionsSchema } from "./generate-options.js";
export { generateSummaryBlocks } from "./generate-summary-blocks.js";
export { type GenerateSummary, generateTrail } from "./generate-trail.js";
export { ADMIN_ACTIONS, USE_ACTIONS } from "./key-policy.js";
export { Prng } from "./prng.js";
