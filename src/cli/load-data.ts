import type { CaseModel } from "../model/index.js";
import { type CaseSource, inputIssuesNote, loadCase } from "../pipeline/index.js";
import { escapeControls } from "../printable.js";
import { ingestProgressBar } from "./progress.js";

/**
 * The data of every question command (-i logs or -c case), with the progress bar while logs are read and,
 * after an on-the-fly replay that met issues, one line on stderr saying so: stdout keeps only the answer.
 */
export async function loadData(
  source: CaseSource,
  warn: (text: string) => void = (text) => process.stderr.write(text),
): Promise<CaseModel> {
  const bar = source.input ? ingestProgressBar() : null;
  const model = await loadCase(source, bar?.update).finally(() => bar?.stop());
  const note = source.input ? inputIssuesNote(model.data.stats, source.input) : null;
  if (note) warn(`keytrail: ${escapeControls(note)}\n`);
  return model;
}
