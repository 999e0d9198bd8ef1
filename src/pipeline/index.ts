export type { SpanSnapshot } from "./coverage-tracker.js";
export { CoverageTracker } from "./coverage-tracker.js";
export type { CaseSource } from "./load-case.js";
export { loadCase } from "./load-case.js";
export type { ReplayInputsOptions } from "./replay-inputs.js";
export { defaultThreads, replayInputs } from "./replay-inputs.js";
