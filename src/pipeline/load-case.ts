import type { IngestProgress } from "../ingest/index.js";
import { CaseModel, readCaseFile } from "../model/index.js";
import { nothingReadError } from "./input-notes.js";
import { replayInputs } from "./replay-inputs.js";

export interface CaseSource {
  input?: string[] | undefined;
  case?: string | undefined;
}

/**
 * The data behind every question: a case file, or logs replayed on the fly. Logs that gave no record at all
 * are an input error (InputError, exit 1), not an empty case.
 */
export async function loadCase(
  source: CaseSource,
  progress?: (progress: IngestProgress) => void,
): Promise<CaseModel> {
  if (source.case) return new CaseModel((await readCaseFile(source.case)).data);
  const paths = source.input ?? [];
  const data = await replayInputs(paths, progress ? { progress } : {});
  const nothingRead = nothingReadError(data.stats, paths);
  if (nothingRead) throw nothingRead;
  return new CaseModel(data);
}
