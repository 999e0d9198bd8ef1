import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { startScript } from "./neo4j-scripts.js";
import { OutputTail } from "./output-tail.js";

export interface StartNeo4jOptions {
  /** An empty directory the server owns for its store and logs. */
  readonly dataDir: string;
  readonly port: number;
  /** From spawn to the ready line: JVM start, in-memory compile of Launcher.java, store creation. */
  readonly readyTimeoutMs: number;
  /** How long a SIGTERM may take before SIGKILL. */
  readonly stopGraceMs: number;
  /** JVM tuning flags instead of start.sh's test defaults (its KEYTRAIL_NEO4J_JAVA_OPTS). */
  readonly javaOpts?: string;
}

export interface RunningNeo4j {
  readonly uri: string;
  readonly pid: number;
  stop(): Promise<void>;
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** Starts .ci/neo4j/start.sh and resolves once it printed its ready line; rejects with its output otherwise. */
export function startNeo4j(options: StartNeo4jOptions): Promise<RunningNeo4j> {
  const uri = `bolt://127.0.0.1:${options.port}`;
  const readyLine = `NEO4J READY ${uri}`;
  // stdin stays an open pipe: the launcher stops when it closes, so a crashed parent leaves no server.
  const child = spawn("bash", [startScript, options.dataDir, String(options.port)], {
    stdio: ["pipe", "pipe", "pipe"],
    env:
      options.javaOpts === undefined
        ? process.env
        : { ...process.env, KEYTRAIL_NEO4J_JAVA_OPTS: options.javaOpts },
  });
  const tail = new OutputTail();
  const exited = new Promise<Exit>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  let stopRequested = false;
  const stop = (): Promise<void> => {
    stopRequested = true;
    return stopProcess(child, exited, options.stopGraceMs);
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (reason: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`neo4j: ${reason}; last output:\n${tail}`)));
    };
    const timer = setTimeout(
      () => fail(`no ready line within ${options.readyTimeoutMs / 1000}s`),
      options.readyTimeoutMs,
    );

    createInterface({ input: child.stderr }).on("line", (line) => tail.push(line));
    createInterface({ input: child.stdout }).on("line", (line) => {
      tail.push(line);
      if (settled || line.trim() !== readyLine || child.pid === undefined) return;
      settled = true;
      clearTimeout(timer);
      resolve({ uri, pid: child.pid, stop });
    });
    child.once("error", (error) => fail(`could not run ${startScript}: ${error.message}`));
    void exited.then(({ code, signal }) => {
      const how = signal ?? `exit ${code}`;
      if (!settled) fail(`the launcher stopped before it was ready (${how})`);
      else if (!stopRequested) console.error(`neo4j: the server died during the run (${how}):\n${tail}`);
    });
  });
}

async function stopProcess(child: ChildProcess, exited: Promise<Exit>, graceMs: number): Promise<void> {
  const neverStarted = child.pid === undefined;
  if (neverStarted || child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), graceMs);
  });
  if ((await Promise.race([exited, graceOver])) === "timeout") {
    console.error(`neo4j: pid ${child.pid} ignored SIGTERM for ${graceMs / 1000}s; killing it`);
    child.kill("SIGKILL");
    await exited;
  }
  clearTimeout(timer);
}
