import { handleError } from "../../src/cli/handle-error.js";

/** What the CLI prints for an error and the exit code it gives, without running a process. */
export function errorText(error: unknown): { code: number; text: string } {
  let text = "";
  const code = handleError(
    error,
    (line) => {
      text += line;
    },
    false,
  );
  return { code, text };
}
