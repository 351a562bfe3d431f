import ExcelJS from "exceljs";
import { csrfToken, type Agent } from "./app";

/** Uploads a file to the import form (multipart, with the page's CSRF token first, as a browser sends it). */
export async function upload(agent: Agent, fileName: string, content: Buffer | string, kind: "clients" | "schedules" = "clients") {
  const token = await csrfToken(agent, "/importeren");
  return agent
    .post("/importeren")
    .field("_csrf", token)
    .field("kind", kind)
    .attach("file", Buffer.isBuffer(content) ? content : Buffer.from(content, "utf8"), fileName);
}

/** An .xlsx file with these rows on its first sheet (Date values become date cells). */
export async function xlsxOf(rows: (string | number | Date | null)[][]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet("Blad1");
  for (const r of rows) sheet.addRow(r);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The id of the import a successful upload redirected to. */
export function importIdOf(location: string | undefined): number {
  const m = /^\/importeren\/(\d+)$/.exec(location ?? "");
  if (!m) throw new Error(`not an import: ${location}`);
  return Number(m[1]);
}

/** The rows of the preview table: line, status and the text of its details cell. */
export function previewRows(html: string): { line: number; status: string; text: string }[] {
  const body = html.split("<tbody>")[1]?.split("</tbody>")[0] ?? "";
  return [...body.matchAll(/<tr class="import-([a-z]+)">\s*<th scope="row">(\d+)<\/th>([\s\S]*?)<\/tr>/g)].map((m) => ({
    status: m[1],
    line: Number(m[2]),
    text: m[3].replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim(),
  }));
}
