import { stringify } from "csv-stringify/sync";
import ExcelJS from "exceljs";
import { translator, type AppLocale } from "../web/i18n";
import { fieldsOf, type ImportKind } from "./fields";

// The downloadable templates: the header row an import maps by itself (each header is one of
// its field's usual names), as CSV (semicolons and a BOM, as a Dutch Excel opens it) and as
// XLSX with a second sheet that explains every column. Only the first sheet is ever imported.

export function templateHeader(kind: ImportKind): string[] {
  return fieldsOf(kind).map((f) => {
    const name = f.synonyms[0];
    return name === "bsn" ? "BSN" : name.charAt(0).toUpperCase() + name.slice(1);
  });
}

export function templateCsv(kind: ImportKind): string {
  return "\uFEFF" + stringify([templateHeader(kind)], { delimiter: ";", record_delimiter: "\r\n" });
}

export async function templateXlsx(kind: ImportKind, locale: AppLocale): Promise<Buffer> {
  const t = translator(locale);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = "dagdeel";
  const sheet = workbook.addWorksheet(t(kind === "clients" ? "clientImport.template.sheet" : "scheduleImport.template.sheet"));
  sheet.addRow(templateHeader(kind));
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((c) => (c.width = 18));
  // Text columns, so Excel keeps a BSN's leading zero and a date as it was typed.
  sheet.columns.forEach((c) => (c.numFmt = "@"));
  const help = workbook.addWorksheet(t("clientImport.template.helpSheet"));
  help.addRow([t("clientImport.template.column"), t("clientImport.template.meaning")]).font = { bold: true };
  const header = templateHeader(kind);
  fieldsOf(kind).forEach((f, i) => help.addRow([header[i], `${t(f.label)}${f.required ? ` (${t("clientImport.template.required")})` : ""}`]));
  help.addRow([]);
  help.addRow([t("clientImport.template.dates")]);
  help.addRow([t("clientImport.template.yesNo")]);
  help.columns.forEach((c) => (c.width = 40));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
