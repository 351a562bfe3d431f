// The bench's instruments: child processes (the app, the bare express yardstick) with their
// peak memory read from /proc, single HTTP requests timed to the last byte with a timeout, a
// logged-in session per demo user, and autocannon for throughput under many connections.

import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import autocannon from "autocannon";

/** A child process, its port and the last of what it wrote (its log: warnings and errors). */
export type Child = { process: ChildProcess; port: number; output: string[] };

/** Forks a TypeScript entry (through tsx) and waits for its { type: "ready", port }. */
export function start(file: string, env: Record<string, string>): Promise<Child> {
  // The app runs as `npm start` runs it: a heap of at most 192 MB (README, Scripts).
  const child = fork(path.resolve(__dirname, file), [], { execArgv: ["--max-old-space-size=192", "--import", "tsx"], env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe", "ipc"] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    output.push(chunk.toString());
    if (output.length > 200) output.shift();
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${file} stopped (${code}) before it listened: ${output.join("").slice(-2000)}`));
    child.once("exit", onExit);
    child.on("message", (m: { type?: string; port?: number }) => {
      if (m.type !== "ready") return;
      child.off("exit", onExit);
      resolve({ process: child, port: m.port!, output });
    });
  });
}

export async function stop(child: Child): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.process.once("exit", () => resolve()));
  child.process.kill("SIGKILL");
  await exited;
}

/** Asks the child something over IPC and waits for the answer of the same type. */
export function ask<T extends { type: string }>(child: Child, message: { type: string } & Record<string, unknown>, timeoutMs = 600_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.process.off("message", onMessage);
      reject(new Error(`no answer to ${message.type}`));
    }, timeoutMs);
    const onMessage = (m: T) => {
      if (m.type !== message.type) return;
      clearTimeout(timer);
      child.process.off("message", onMessage);
      resolve(m);
    };
    child.process.on("message", onMessage);
    child.process.send(message);
  });
}

/**
 * Starts a new peak-memory window for the process (Linux: writing 5 to clear_refs resets
 * VmHWM to the current RSS), so the next reading is the peak of what happened since.
 */
export function resetPeak(child: Child): void {
  try {
    fs.writeFileSync(`/proc/${child.process.pid}/clear_refs`, "5");
  } catch {
    // Not Linux, or not allowed: the peak then runs from the process's start.
  }
}

/** Peak and current resident memory of a process in MB, from /proc (works while it is busy). */
export function memoryOf(child: Child): { peakMb: number; rssMb: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${child.process.pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    return { peakMb: kb("VmHWM") / 1024, rssMb: kb("VmRSS") / 1024 };
  } catch {
    return null;
  }
}

export type Reply = { status: number; ms: number; bytes: number; body: string; headers: http.IncomingHttpHeaders } | { status: "timeout"; ms: number } | { status: "error"; ms: number; message: string };

const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });

/** One request, timed from sending to the last byte of the body. */
export function request(port: number, method: "GET" | "POST", urlPath: string, options: { cookie?: string; headers?: Record<string, string>; form?: Record<string, string>; timeoutMs: number }): Promise<Reply> {
  const body = options.form ? new URLSearchParams(options.form).toString() : undefined;
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (body) {
    headers["content-type"] = "application/x-www-form-urlencoded";
    headers["content-length"] = String(Buffer.byteLength(body));
  }
  const started = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve) => {
    let settled = false;
    const finish = (reply: Reply) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(reply);
    };
    const req = http.request({ host: "127.0.0.1", port, method, path: urlPath, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const buffer = Buffer.concat(chunks);
        finish({ status: res.statusCode ?? 0, ms: ms(), bytes: buffer.length, body: buffer.toString("utf8"), headers: res.headers });
      });
      res.on("error", (err) => finish({ status: "error", ms: ms(), message: err.message }));
    });
    const timer = setTimeout(() => {
      finish({ status: "timeout", ms: ms() });
      req.destroy();
    }, options.timeoutMs);
    req.on("error", (err) => finish({ status: "error", ms: ms(), message: err.message }));
    if (body) req.write(body);
    req.end();
  });
}

/** Logs in as a demo user the way a browser does (form, CSRF token, session cookie). */
export async function login(port: number, email: string, password: string, timeoutMs: number): Promise<string> {
  const page = await request(port, "GET", "/login", { timeoutMs });
  if (typeof page.status !== "number" || !("headers" in page)) throw new Error(`GET /login: ${page.status}`);
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
  const first = sessionCookie(page.headers);
  if (!token || !first) throw new Error("GET /login gave no CSRF token or session");
  const res = await request(port, "POST", "/login", { cookie: first, form: { email, password, _csrf: token }, timeoutMs });
  if (res.status !== 303 || !("headers" in res)) throw new Error(`login as ${email}: ${res.status}`);
  return sessionCookie(res.headers) ?? first;
}

function sessionCookie(headers: http.IncomingHttpHeaders): string | null {
  const cookie = (headers["set-cookie"] ?? []).find((c) => c.startsWith("dagdeel.sid="));
  return cookie ? cookie.split(";")[0] : null;
}

export type Load = { okPerSecond: number; p99Ms: number; non2xx: number; errors: number; timeouts: number };

/** Throughput with `connections` connections for `seconds`: successful responses per second and p99 latency. */
export async function load(port: number, urlPath: string, options: { connections: number; seconds: number; cookie?: string; timeoutSeconds: number }): Promise<Load> {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}${urlPath}`,
    connections: options.connections,
    duration: options.seconds,
    timeout: options.timeoutSeconds,
    headers: options.cookie ? { cookie: options.cookie } : {},
  });
  // Without a single answer inside the run there is no latency to speak of (not 0 ms).
  const answered = result["2xx"] + result.non2xx > 0;
  return { okPerSecond: result["2xx"] / result.duration, p99Ms: answered ? result.latency.p99 : NaN, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts };
}
