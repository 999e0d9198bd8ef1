#!/usr/bin/env node
import { main } from "./main.js";

// A reader that stops early (`| head`) closes the pipe: the rest of the output has nowhere to go, and that is
// not an error. Anything else on stdout (a full disk) is the user's to fix: exit 1, saying so, with no stack.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") return;
  process.stderr.write(`keytrail: cannot write standard output: ${error.code ?? error.message}\n`);
  process.exit(1);
});

process.exitCode = await main(process.argv);
