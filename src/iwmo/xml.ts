import { XMLBuilder, XMLParser } from "fast-xml-parser";

// What every iWmo message shares: the namespaces, the header, and one configured
// fast-xml-parser builder and reader. Builders give objects whose keys are in the XSD's
// sequence order (JavaScript keeps insertion order); undefined values leave the element out.

export const BASIS_NAMESPACE = "http://www.istandaarden.nl/iwmo/3_2/basisschema/schema";
export const messageNamespace = (prefix: string) => `http://www.istandaarden.nl/iwmo/3_2/${prefix}/schema`;

export const BERICHT_CODES = { wmo301: "414", wmo305: "418", wmo307: "420" } as const;
export type MessagePrefix = keyof typeof BERICHT_CODES;
const XSD_VERSIE = "1.0.0";

export type IwmoHeader = {
  afzender: string;
  ontvanger: string;
  identificatie: string;
  dagtekening: string;
};

export type XmlNode = { [name: string]: XmlValue };
export type XmlValue = string | number | XmlNode | XmlNode[] | undefined;

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", format: true, indentBy: "  ", suppressEmptyNode: true });

/** Element names in the message's own namespace (m) and the basisschema's (b). */
export function names(prefix: MessagePrefix) {
  return { m: (name: string) => `${prefix}:${name}`, b: (name: string) => `iwmo:${name}` };
}

/** The Header every message starts with (BerichtVersie 3, subversie 2, XSD versions 1.0.0). */
export function header(prefix: MessagePrefix, h: IwmoHeader): XmlNode {
  const { m, b } = names(prefix);
  return {
    [m("BerichtCode")]: BERICHT_CODES[prefix],
    [m("BerichtVersie")]: "3",
    [m("BerichtSubversie")]: "2",
    [m("Afzender")]: h.afzender,
    [m("Ontvanger")]: h.ontvanger,
    [m("BerichtIdentificatie")]: { [b("Identificatie")]: h.identificatie, [b("Dagtekening")]: h.dagtekening },
    [m("XsdVersie")]: { [b("BasisschemaXsdVersie")]: XSD_VERSIE, [b("BerichtXsdVersie")]: XSD_VERSIE },
  };
}

/** A whole message: the XML declaration, the root Bericht with both namespaces, the body. */
export function buildMessage(prefix: MessagePrefix, body: XmlNode): string {
  return builder.build({
    "?xml": { "@_version": "1.0", "@_encoding": "UTF-8" },
    [`${prefix}:Bericht`]: { "@_xmlns:iwmo": BASIS_NAMESPACE, [`@_xmlns:${prefix}`]: messageNamespace(prefix), ...body },
  });
}

// Elements that may repeat are always read as arrays, however many there are.
const REPEATED = new Set(["ToegewezenProduct", "Contact", "Relatie", "StartProduct", "StopProduct"]);

const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  isArray: (name) => REPEATED.has(name),
});

export type ReadNode = { [name: string]: unknown };

/**
 * Reads a message that already passed its XSD (validateIwmo): the structure is known, so the
 * readers only pick values. Namespace prefixes are dropped; the schema checked them.
 */
export function parseMessage(xml: string): ReadNode {
  const doc = parser.parse(xml) as ReadNode;
  const root = doc.Bericht;
  if (!root || typeof root !== "object") throw new RangeError("not an iWmo Bericht");
  return root as ReadNode;
}

/** A child element's text, or undefined when it is absent. */
export function textAt(node: unknown, ...path: string[]): string | undefined {
  let at: unknown = node;
  for (const key of path) {
    if (!at || typeof at !== "object") return undefined;
    at = (at as ReadNode)[key];
  }
  if (at === undefined || at === null || typeof at === "object") return undefined;
  return String(at);
}

export function nodeAt(node: unknown, ...path: string[]): ReadNode | undefined {
  let at: unknown = node;
  for (const key of path) {
    if (!at || typeof at !== "object") return undefined;
    at = (at as ReadNode)[key];
  }
  return at && typeof at === "object" && !Array.isArray(at) ? (at as ReadNode) : undefined;
}

export function listAt(node: unknown, ...path: string[]): ReadNode[] {
  let at: unknown = node;
  for (const key of path) {
    if (!at || typeof at !== "object") return [];
    at = (at as ReadNode)[key];
  }
  return Array.isArray(at) ? (at as ReadNode[]) : [];
}

export function readHeader(root: ReadNode): IwmoHeader & { berichtCode: string } {
  return {
    berichtCode: textAt(root, "Header", "BerichtCode") ?? "",
    afzender: textAt(root, "Header", "Afzender") ?? "",
    ontvanger: textAt(root, "Header", "Ontvanger") ?? "",
    identificatie: textAt(root, "Header", "BerichtIdentificatie", "Identificatie") ?? "",
    dagtekening: textAt(root, "Header", "BerichtIdentificatie", "Dagtekening") ?? "",
  };
}

/**
 * A DTD has no place in an iWmo message and is the way into entity tricks: refused before
 * anything parses the file.
 */
export function hasDoctype(xml: string): boolean {
  return xml.toUpperCase().includes("<!DOCTYPE");
}
