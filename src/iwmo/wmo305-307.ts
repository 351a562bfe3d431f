import type { IwmoName } from "./person";
import { readName } from "./wmo301";
import { buildMessage, header, listAt, names, nodeAt, parseMessage, readHeader, textAt, type IwmoHeader, type MessagePrefix, type ReadNode, type XmlNode } from "./xml";

// WMO305 "Start zorg" (418) and WMO307 "Stop zorg" (420), aanbieder → gemeente: the real start
// and stop of delivery of toegewezen products of one client. Same client block, products that
// differ only in the stop's RedenBeeindiging and Einddatum. Built and read following
// wmo305.xsd / wmo307.xsd of iWmo 3.2.

export type StartStopClient = {
  bsn: string;
  geboortedatum: string;
  geslacht: string;
  naam: Pick<IwmoName, "achternaam" | "voorvoegsel" | "voornamen" | "voorletters">;
};

export type StartProduct = {
  toewijzingNummer: string;
  categorie?: string;
  code?: string;
  toewijzingIngangsdatum?: string;
  begindatum: string;
  /** 1 eerste aanlevering, 2 gewijzigd, 3 verwijderen. */
  statusAanlevering: string;
};

export type StopProduct = StartProduct & { redenBeeindiging: string; einddatum: string };

export type Wmo305 = { header: IwmoHeader; client: StartStopClient; producten: StartProduct[] };
export type Wmo307 = { header: IwmoHeader; client: StartStopClient; producten: StopProduct[] };

function clientNode(prefix: MessagePrefix, c: StartStopClient): XmlNode {
  const { m, b } = names(prefix);
  return {
    [m("Bsn")]: c.bsn,
    [m("Geboortedatum")]: { [b("Datum")]: c.geboortedatum },
    [m("Geslacht")]: c.geslacht,
    [m("Naam")]: {
      [b("Geslachtsnaam")]: { [b("Achternaam")]: c.naam.achternaam, [b("Voorvoegsel")]: c.naam.voorvoegsel },
      [b("Voornamen")]: c.naam.voornamen,
      [b("Voorletters")]: c.naam.voorletters,
    },
  };
}

function productNode(prefix: MessagePrefix, p: StartProduct | StopProduct): XmlNode {
  const { m, b } = names(prefix);
  const stop = "redenBeeindiging" in p ? p : null;
  return {
    [m("ToewijzingNummer")]: p.toewijzingNummer,
    [m("Product")]: p.categorie ? { [b("Categorie")]: p.categorie, [b("Code")]: p.code } : undefined,
    [m("ToewijzingIngangsdatum")]: p.toewijzingIngangsdatum,
    [m("Begindatum")]: p.begindatum,
    [m("RedenBeeindiging")]: stop?.redenBeeindiging,
    [m("Einddatum")]: stop?.einddatum,
    [m("StatusAanlevering")]: p.statusAanlevering,
  };
}

export function buildWmo305(message: Wmo305): string {
  const { m } = names("wmo305");
  return buildMessage("wmo305", {
    [m("Header")]: header("wmo305", message.header),
    [m("Client")]: { ...clientNode("wmo305", message.client), [m("StartProducten")]: { [m("StartProduct")]: message.producten.map((p) => productNode("wmo305", p)) } },
  });
}

export function buildWmo307(message: Wmo307): string {
  const { m } = names("wmo307");
  return buildMessage("wmo307", {
    [m("Header")]: header("wmo307", message.header),
    [m("Client")]: { ...clientNode("wmo307", message.client), [m("StopProducten")]: { [m("StopProduct")]: message.producten.map((p) => productNode("wmo307", p)) } },
  });
}

function readClient(client: ReadNode | undefined): StartStopClient {
  const naam = readName(nodeAt(client, "Naam"));
  return {
    bsn: textAt(client, "Bsn") ?? "",
    geboortedatum: textAt(client, "Geboortedatum", "Datum") ?? "",
    geslacht: textAt(client, "Geslacht") ?? "0",
    naam: { achternaam: naam.achternaam, voorvoegsel: naam.voorvoegsel, voornamen: naam.voornamen, voorletters: naam.voorletters },
  };
}

function readStart(p: ReadNode): StartProduct {
  const nummer = textAt(p, "ToewijzingNummer");
  return {
    toewijzingNummer: nummer !== undefined ? String(Number(nummer)) : "",
    categorie: textAt(p, "Product", "Categorie"),
    code: textAt(p, "Product", "Code"),
    toewijzingIngangsdatum: textAt(p, "ToewijzingIngangsdatum"),
    begindatum: textAt(p, "Begindatum") ?? "",
    statusAanlevering: textAt(p, "StatusAanlevering") ?? "",
  };
}

function headerOf(root: ReadNode): IwmoHeader {
  const h = readHeader(root);
  return { afzender: h.afzender, ontvanger: h.ontvanger, identificatie: h.identificatie, dagtekening: h.dagtekening };
}

/** Reads a WMO305 that passed validateIwmo("WMO305", xml). */
export function readWmo305(xml: string): Wmo305 {
  const root = parseMessage(xml);
  const client = nodeAt(root, "Client");
  return { header: headerOf(root), client: readClient(client), producten: listAt(client, "StartProducten", "StartProduct").map(readStart) };
}

/** Reads a WMO307 that passed validateIwmo("WMO307", xml). */
export function readWmo307(xml: string): Wmo307 {
  const root = parseMessage(xml);
  const client = nodeAt(root, "Client");
  return {
    header: headerOf(root),
    client: readClient(client),
    producten: listAt(client, "StopProducten", "StopProduct").map((p) => ({
      ...readStart(p),
      redenBeeindiging: textAt(p, "RedenBeeindiging") ?? "",
      einddatum: textAt(p, "Einddatum") ?? "",
    })),
  };
}
