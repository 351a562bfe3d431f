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
