#!/usr/bin/env node
import { main } from "./main.js";

// A reader that stops early (`| head`) closes the pipe: the rest of the output has nowhere to go, and that is
// not an error. Anything else on stdout still is.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
});

process.exitCode = await main(process.argv);
