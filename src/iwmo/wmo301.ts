import type { IwmoAddress, IwmoName } from "./person";
import { buildMessage, header, listAt, names, nodeAt, parseMessage, readHeader, textAt, type IwmoHeader, type ReadNode, type XmlNode } from "./xml";

// WMO301 "Toewijzing" (BerichtCode 414), gemeente → aanbieder: one client and the products
// allocated to it at one provider. Built and read following wmo301.xsd of iWmo 3.2; element
// order is the schema's sequence order. Pure: XML text in, values out, and back.

export type Wmo301Product = {
  toewijzingNummer: string;
  referentieAanbieder?: string;
  categorie?: string;
  code?: string;
  toewijzingsdatum: string;
  toewijzingstijd: string;
  ingangsdatum: string;
  einddatum?: string;
  redenWijziging?: string;
  omvang?: { volume: number; eenheid: string; frequentie: string };
  budget?: number;
  commentaar?: string;
};

export type Wmo301Client = {
  bsn: string;
  geboortedatum: string;
  geslacht: string;
  naam: IwmoName;
  commentaar?: string;
  addresses: IwmoAddress[];
  producten: Wmo301Product[];
};

export type Wmo301 = { header: IwmoHeader; client: Wmo301Client };

function nameNode(b: (n: string) => string, n: IwmoName): XmlNode {
  return {
    [b("Geslachtsnaam")]: { [b("Achternaam")]: n.achternaam, [b("Voorvoegsel")]: n.voorvoegsel },
    [b("Partnernaam")]: n.partnerAchternaam ? { [b("Achternaam")]: n.partnerAchternaam, [b("Voorvoegsel")]: n.partnerVoorvoegsel } : undefined,
    [b("Voornamen")]: n.voornamen,
    [b("Voorletters")]: n.voorletters,
    [b("NaamGebruik")]: n.naamGebruik ?? "1",
  };
}

function addressNode(b: (n: string) => string, a: IwmoAddress): XmlNode | undefined {
  const huis = a.huisnummer !== undefined ? { [b("Huisnummer")]: a.huisnummer, [b("Huisletter")]: a.huisletter, [b("HuisnummerToevoeging")]: a.toevoeging } : undefined;
  if (!huis && !a.postcode && !a.straatnaam && !a.plaatsnaam) return undefined;
  return { [b("Huis")]: huis, [b("Postcode")]: a.postcode, [b("Straatnaam")]: a.straatnaam, [b("Plaatsnaam")]: a.plaatsnaam };
}

export function buildWmo301(message: Wmo301): string {
  const { m, b } = names("wmo301");
  const c = message.client;
  // Contactgegevens needs at least one Contact; without an address it is a bare BRP contact.
  const addresses = c.addresses.length > 0 ? c.addresses : [{ soort: "01" }];
  return buildMessage("wmo301", {
    [m("Header")]: header("wmo301", message.header),
    [m("Client")]: {
      [m("Bsn")]: c.bsn,
      [m("Geboortedatum")]: { [b("Datum")]: c.geboortedatum },
      [m("Geslacht")]: c.geslacht,
      [m("Naam")]: nameNode(b, c.naam),
      [m("Commentaar")]: c.commentaar,
      [m("Contactgegevens")]: { [m("Contact")]: addresses.map((a) => ({ [m("Soort")]: a.soort, [m("Adres")]: addressNode(b, a) })) },
      [m("ToegewezenProducten")]: {
        [m("ToegewezenProduct")]: c.producten.map((p) => ({
          [m("ToewijzingNummer")]: p.toewijzingNummer,
          [m("ReferentieAanbieder")]: p.referentieAanbieder,
          [m("Product")]: p.categorie ? { [b("Categorie")]: p.categorie, [b("Code")]: p.code } : undefined,
          [m("Toewijzingsdatum")]: p.toewijzingsdatum,
          [m("Toewijzingstijd")]: p.toewijzingstijd,
          [m("Ingangsdatum")]: p.ingangsdatum,
          [m("Einddatum")]: p.einddatum,
          [m("RedenWijziging")]: p.redenWijziging,
          [m("Omvang")]: p.omvang ? { [b("Volume")]: p.omvang.volume, [b("Eenheid")]: p.omvang.eenheid, [b("Frequentie")]: p.omvang.frequentie } : undefined,
          [m("Budget")]: p.budget,
          [m("Commentaar")]: p.commentaar,
        })),
      },
    },
  });
}

export function readName(node: ReadNode | undefined): IwmoName {
  return {
    achternaam: textAt(node, "Geslachtsnaam", "Achternaam") ?? "",
    voorvoegsel: textAt(node, "Geslachtsnaam", "Voorvoegsel"),
    partnerAchternaam: textAt(node, "Partnernaam", "Achternaam"),
    partnerVoorvoegsel: textAt(node, "Partnernaam", "Voorvoegsel"),
    voornamen: textAt(node, "Voornamen"),
    voorletters: textAt(node, "Voorletters"),
    naamGebruik: textAt(node, "NaamGebruik"),
  };
}

function readAddress(contact: ReadNode): IwmoAddress {
  const adres = nodeAt(contact, "Adres");
  const huisnummer = textAt(adres, "Huis", "Huisnummer");
  return {
    soort: textAt(contact, "Soort") ?? "",
    straatnaam: textAt(adres, "Straatnaam"),
    huisnummer: huisnummer !== undefined ? Number(huisnummer) : undefined,
    huisletter: textAt(adres, "Huis", "Huisletter"),
    toevoeging: textAt(adres, "Huis", "HuisnummerToevoeging"),
    postcode: textAt(adres, "Postcode"),
    plaatsnaam: textAt(adres, "Plaatsnaam"),
  };
}

function readProduct(p: ReadNode): Wmo301Product {
  const volume = textAt(p, "Omvang", "Volume");
  const budget = textAt(p, "Budget");
  return {
    toewijzingNummer: String(Number(textAt(p, "ToewijzingNummer"))),
    referentieAanbieder: textAt(p, "ReferentieAanbieder"),
    categorie: textAt(p, "Product", "Categorie"),
    code: textAt(p, "Product", "Code"),
    toewijzingsdatum: textAt(p, "Toewijzingsdatum") ?? "",
    toewijzingstijd: textAt(p, "Toewijzingstijd") ?? "",
    ingangsdatum: textAt(p, "Ingangsdatum") ?? "",
    einddatum: textAt(p, "Einddatum"),
    redenWijziging: textAt(p, "RedenWijziging"),
    omvang:
      volume !== undefined
        ? { volume: Number(volume), eenheid: textAt(p, "Omvang", "Eenheid") ?? "", frequentie: textAt(p, "Omvang", "Frequentie") ?? "" }
        : undefined,
    budget: budget !== undefined ? Number(budget) : undefined,
    commentaar: textAt(p, "Commentaar"),
  };
}

/** Reads a WMO301 that passed validateIwmo("WMO301", xml). */
export function readWmo301(xml: string): Wmo301 {
  const root = parseMessage(xml);
  const client = nodeAt(root, "Client");
  const h = readHeader(root);
  return {
    header: { afzender: h.afzender, ontvanger: h.ontvanger, identificatie: h.identificatie, dagtekening: h.dagtekening },
    client: {
      bsn: textAt(client, "Bsn") ?? "",
      geboortedatum: textAt(client, "Geboortedatum", "Datum") ?? "",
      geslacht: textAt(client, "Geslacht") ?? "0",
      naam: readName(nodeAt(client, "Naam")),
      commentaar: textAt(client, "Commentaar"),
      addresses: listAt(client, "Contactgegevens", "Contact").map(readAddress),
      producten: listAt(client, "ToegewezenProducten", "ToegewezenProduct").map(readProduct),
    },
  };
}
