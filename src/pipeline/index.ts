export type { SpanSnapshot } from "./coverage-tracker.js";
export { CoverageTracker } from "./coverage-tracker.js";
export {
  inputIssuesCaveat,
  inputIssuesNote,
  nothingReadError,
} from "./input-notes.js";
export type { CaseSource } from "./load-case.js";
export { loadCase } from "./load-case.js";
export type { ReplayedInputs, ReplayInputsOptions } from "./replay-inputs.js";
export { defaultThreads, replayInputs, replayInputsInFull } from "./replay-inputs.js";
