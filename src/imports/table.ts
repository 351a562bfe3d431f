import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { MAX_UPLOAD_BYTES } from "../web/uploads";

// A spreadsheet file as a table of text: the first row its header. CSV (semicolon — what a
// Dutch Excel writes — or comma; UTF-8 with or without BOM, or the Windows-1252 an older Excel
// saves) through csv-parse; XLSX through exceljs, its first worksheet, with real date cells as
// ISO dates. Anything else, an empty file or one too big to be a village's client list, is refused.

export const MAX_ROWS = 5000;
export const MAX_COLUMNS = 60;
/** The upload limit of every form that takes files (src/web/uploads.ts): a region's client list fits. */
export const MAX_BYTES = MAX_UPLOAD_BYTES;

export type Table = { header: string[]; rows: string[][] };

/** Why a file could not be read; the code is a locale key shown next to the file field. */
export class TableError extends Error {
  constructor(readonly key: string) {
    super(key);
  }
}

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

export function kindOfFile(fileName: string, bytes: Buffer): "csv" | "xlsx" | null {
  const name = fileName.toLowerCase();
  if (bytes.subarray(0, 4).equals(ZIP)) return name.endsWith(".xlsx") ? "xlsx" : null;
  if (name.endsWith(".csv") || name.endsWith(".txt")) return "csv";
  return null;
}

/** UTF-8 (a BOM is dropped); a file that is not valid UTF-8 is read as Windows-1252. */
export function decodeText(bytes: Buffer): string {
  const start = bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])) ? 3 : 0;
  const body = bytes.subarray(start);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    return new TextDecoder("windows-1252").decode(body);
  }
}

/** The delimiter of the header line: semicolon or comma, whichever occurs more outside quotes. */
export function detectDelimiter(text: string): ";" | "," {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === "\n" || ch === "\r")) break;
    else if (!quoted && ch === ";") semicolons++;
    else if (!quoted && ch === ",") commas++;
  }
  return commas > semicolons ? "," : ";";
}

function shaped(records: string[][]): Table {
  const nonEmpty = records.map((r) => r.map((c) => c.trim())).filter((r) => r.some((c) => c !== ""));
  if (nonEmpty.length === 0) throw new TableError("clientImport.errors.fileEmpty");
  const [header, ...rows] = nonEmpty;
  if (header.length > MAX_COLUMNS) throw new TableError("clientImport.errors.tooManyColumns");
  if (rows.length === 0) throw new TableError("clientImport.errors.noRows");
  if (rows.length > MAX_ROWS) throw new TableError("clientImport.errors.tooManyRows");
  const width = header.length;
  return { header, rows: rows.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? "")) };
}

export function readCsv(bytes: Buffer): Table {
  const text = decodeText(bytes);
  try {
    const records: string[][] = parse(text, { delimiter: detectDelimiter(text), relax_column_count: true, skip_empty_lines: true, relax_quotes: true });
    return shaped(records);
  } catch (err) {
    if (err instanceof TableError) throw err;
    throw new TableError("clientImport.errors.unreadable");
  }
}

/** One cell as text: dates as yyyy-MM-dd, formulas by their result, rich text joined. */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : String(value).replace(".", ",");
  if (typeof value === "boolean") return value ? "ja" : "nee";
  if (typeof value === "string") return value;
  if (typeof value === "object") {
    if ("richText" in value) return value.richText.map((r) => r.text).join("");
    if ("result" in value) return cellText(value.result as ExcelJS.CellValue);
    if ("text" in value) return String(value.text);
    if ("error" in value) return "";
  }
  return String(value);
}

export async function readXlsx(bytes: Buffer): Promise<Table> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch {
    throw new TableError("clientImport.errors.unreadable");
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new TableError("clientImport.errors.fileEmpty");
  if (sheet.rowCount > MAX_ROWS + 50) throw new TableError("clientImport.errors.tooManyRows");
  const records: string[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= Math.min(row.cellCount, MAX_COLUMNS + 1); c++) cells.push(cellText(row.getCell(c).value));
    records.push(cells);
  });
  return shaped(records);
}

export async function readTable(fileName: string, bytes: Buffer): Promise<Table> {
  if (bytes.length === 0) throw new TableError("clientImport.errors.fileEmpty");
  if (bytes.length > MAX_BYTES) throw new TableError("clientImport.errors.fileTooLarge");
  const kind = kindOfFile(fileName, bytes);
  if (kind === "xlsx") return readXlsx(bytes);
  if (kind === "csv") return readCsv(bytes);
  throw new TableError("clientImport.errors.fileType");
}
