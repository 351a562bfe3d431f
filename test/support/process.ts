import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

// Real app processes for the tests that are about processes: start-up races, SIGTERM, the
// production build. Each child listens on a free port (PORT=0) and says which one on stdout.

export const ROOT = path.resolve(__dirname, "../..");

export type AppProcess = {
  child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the port once the process listens; rejects when it exits first. */
  listening: Promise<number>;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<number | string>;
};

const LISTENING = /dagdeel (?:draait op|listening on) http:\/\/[^:]+:(\d+)/;

/**
 * Starts `node <args>` in the repository with the given environment on top of a clean one (no
 * DATABASE_URL, SESSION_SECRET or NODE_ENV of the test run leaks in).
 */
export function startProcess(args: string[], env: Record<string, string>): AppProcess {
  const base: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", PORT: "0", LOG_LEVEL: "info" };
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...base, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  const exited = new Promise<number | string>((resolve) => child.on("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  const listening = new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString("utf8");
      const match = out.match(LISTENING);
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then((code) => reject(new Error(`the process exited (${code}) before listening:\n${out}`)));
  });
  listening.catch(() => undefined); // a test that never awaits it must not see an unhandled rejection
  return {
    child,
    output: () => out,
    listening,
    exited,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      return exited;
    },
  };
}

/** The app from source, as `npm start` runs it. */
export function startServer(env: Record<string, string>): AppProcess {
  return startProcess(["--import", "tsx", "src/server.ts"], env);
}
