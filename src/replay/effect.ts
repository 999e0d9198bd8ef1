import type { NormalizedEvent } from "../events/index.js";
import type { ReplayState } from "./state.js";

/** What a handler reports for the timeline: what changed, which keys, and details worth keeping. */
export interface Effect {
  summary: string;
  keys: string[];
  details?: Record<string, unknown>;
}

/** Applies one successful event to the replay state; `ids` are its eventIds (the cross-account copy's too). */
export type Handler<E extends NormalizedEvent> = (state: ReplayState, event: E, ids: string[]) => Effect;
