import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// The W3C Nu HTML Checker (vnu.jar from the vnu-jar package) on many pages in one Java run:
// the pages are written to files, checked together, and the errors mapped back to the pages.

export const VNU_JAR: string = String(require("vnu-jar"));

export function javaAvailable(): boolean {
  const r = spawnSync("java", ["-version"], { encoding: "utf8" });
  return r.status === 0;
}

export type VnuError = { page: string; line: number | null; message: string; extract: string };

export function vnuErrors(pages: { name: string; html: string }[]): VnuError[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dagdeel-vnu-"));
  try {
    const files = pages.map((p, i) => {
      const file = path.join(dir, `page-${String(i).padStart(4, "0")}.html`);
      fs.writeFileSync(file, p.html);
      return { file, name: p.name };
    });
    // One JVM for every page; the checker reports as JSON on stderr.
    const r = spawnSync("java", ["-jar", VNU_JAR, "--errors-only", "--exit-zero-always", "--format", "json", ...files.map((f) => f.file)], {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    });
    if (r.status !== 0) throw new Error(`vnu.jar could not run (status ${r.status}): ${r.error ?? r.stderr}`);
    const report = JSON.parse(r.stderr) as { messages: { type: string; url?: string; lastLine?: number; message: string; extract?: string }[] };
    const nameOf = new Map(files.map((f) => [path.basename(f.file), f.name]));
    return report.messages
      .filter((m) => m.type === "error" || m.type === "non-document-error")
      .map((m) => ({
        page: nameOf.get(path.basename(decodeURIComponent(m.url ?? ""))) ?? m.url ?? "?",
        line: m.lastLine ?? null,
        message: m.message,
        extract: (m.extract ?? "").replace(/\s+/g, " ").trim(),
      }));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
