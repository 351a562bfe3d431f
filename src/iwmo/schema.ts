import fs from "node:fs";
import path from "node:path";
import { validateXML } from "xmllint-wasm";

// The official iWmo 3.2 schemas (iStandaarden, Zorginstituut Nederland), byte for byte as
// published, in ./xsd. Every message dagdeel writes is checked against them in the tests, and
// every message it reads is checked here before anything in it is believed. libxml2 (compiled
// to WebAssembly, run off the main thread by xmllint-wasm) does the checking: no schema rules
// of our own.

export const IWMO_MESSAGES = ["WMO301", "WMO305", "WMO307", "WMO317", "WMO319", "WMO323"] as const;
export type IwmoMessage = (typeof IWMO_MESSAGES)[number];

export const XSD_DIR = path.resolve(__dirname, "xsd");

const cache = new Map<string, string>();
function xsd(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = fs.readFileSync(path.join(XSD_DIR, name), "utf8");
    cache.set(name, text);
  }
  return text;
}

export type SchemaProblem = { line: number | null; message: string };
export type SchemaResult = { valid: boolean; problems: SchemaProblem[] };

/** Validates one message against its official XSD (with the shared basisschema). */
export async function validateIwmo(message: IwmoMessage, xml: string): Promise<SchemaResult> {
  return validateWith(`${message}.xsd`, xsd(`${message}.xsd`), xml);
}

/**
 * Validates a WMO325 against dagdeel's own reconstruction of its schema (no official
 * WMO325.xsd of iWmo 3.2 could be obtained; see the comment at the top of
 * reconstructed/WMO325.xsd), which builds on the official basisschema.
 */
export async function validateWmo325(xml: string): Promise<SchemaResult> {
  return validateWith("WMO325.xsd", fs.readFileSync(path.resolve(__dirname, "reconstructed", "WMO325.xsd"), "utf8"), xml);
}

async function validateWith(schemaName: string, schema: string, xml: string): Promise<SchemaResult> {
  const result = await validateXML({
    xml: [{ fileName: "bericht.xml", contents: xml }],
    schema: [{ fileName: schemaName, contents: schema }],
    preload: [{ fileName: "basisschema.xsd", contents: xsd("basisschema.xsd") }],
  });
  return {
    valid: result.valid,
    problems: result.errors.map((e) => ({ line: e.loc?.lineNumber ?? null, message: e.message.trim() })),
  };
}

export type NamedXml = { name: string; xml: string };

/**
 * Validates many messages of one kind in one run of libxml2 (starting it costs more than
 * checking a file): the result per file, in the order given. Files are renamed internally, so
 * any name a user uploads is safe.
 */
export async function validateIwmoFiles(message: IwmoMessage, files: NamedXml[]): Promise<SchemaResult[]> {
  if (files.length === 0) return [];
  const internal = (i: number) => `bericht-${i}.xml`;
  const result = await validateXML({
    xml: files.map((f, i) => ({ fileName: internal(i), contents: f.xml })),
    schema: [{ fileName: `${message}.xsd`, contents: xsd(`${message}.xsd`) }],
    preload: [{ fileName: "basisschema.xsd", contents: xsd("basisschema.xsd") }],
  });
  const problems: SchemaProblem[][] = files.map(() => []);
  const failed = new Set<number>();
  for (const e of result.errors) {
    const name = e.loc?.fileName ?? e.rawMessage.split(/[\s:]/)[0];
    const index = files.findIndex((_, i) => internal(i) === name);
    if (index < 0) continue;
    failed.add(index);
    // "bericht-3.xml fails to validate" only repeats what the lines before it say.
    if (e.loc === null && /fails to validate$/.test(e.rawMessage)) continue;
    problems[index].push({ line: e.loc?.lineNumber ?? null, message: e.message.trim().replace(/\{https?:[^}]*\}/g, "") });
  }
  return files.map((_, i) => {
    const valid = !failed.has(i) && (result.valid || new RegExp(`^${internal(i).replace(".", "\\.")} validates$`, "m").test(result.rawOutput));
    return { valid, problems: valid ? [] : problems[i].length > 0 ? problems[i] : [{ line: null, message: "fails to validate" }] };
  });
}
