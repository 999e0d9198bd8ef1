import type { IngestProgress } from "../ingest/index.js";
import { CaseModel, readCaseFile } from "../model/index.js";
import { replayInputs } from "./replay-inputs.js";

export interface CaseSource {
  input?: string[] | undefined;
  case?: string | undefined;
}

/** The data behind every question: a case file, or logs replayed on the fly. */
export async function loadCase(
  source: CaseSource,
  progress?: (progress: IngestProgress) => void,
): Promise<CaseModel> {
  if (source.case) return new CaseModel((await readCaseFile(source.case)).data);
  const data = await replayInputs(source.input ?? [], progress ? { progress } : {});
  return new CaseModel(data);
}
