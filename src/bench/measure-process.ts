import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

export interface ProcessRun {
  code: number;
  wallMs: number;
  /** Peak resident set size in bytes, or null when it could not be read. */
  peakRss: number | null;
  stdout: string;
  stderr: string;
}

const GNU_TIME = "/usr/bin/time";

function peakFromGnuTime(stderr: string): number | null {
  const match = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
  return match?.[1] ? Number(match[1]) * 1024 : null;
}

function vmHwm(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/**
 * Runs a command as a child process and measures its wall time and peak RSS: with GNU time -v when present
 * (the kernel's own max RSS), else by polling /proc/<pid>/status VmHWM every 50 ms.
 */
export function measureProcess(command: string, args: string[], cwd: string): Promise<ProcessRun> {
  const gnuTime = existsSync(GNU_TIME);
  const started = performance.now();
  const child = gnuTime ? spawn(GNU_TIME, ["-v", command, ...args], { cwd }) : spawn(command, args, { cwd });
  let stdout = "";
  let stderr = "";
  let polled: number | null = null;
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString("utf8");
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString("utf8");
  });
  const poll = gnuTime
    ? null
    : setInterval(() => {
        const now = child.pid === undefined ? null : vmHwm(child.pid);
        if (now !== null) polled = Math.max(polled ?? 0, now);
      }, 50);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (poll) clearInterval(poll);
      resolve({
        code: code ?? -1,
        wallMs: performance.now() - started,
        peakRss: gnuTime ? peakFromGnuTime(stderr) : polled,
        stdout,
        stderr,
      });
    });
  });
}
