// A client's name and address as iWmo carries them, and as dagdeel keeps them (first and last
// name, "street number", postcode, village). Pure; both directions, so that what dagdeel
// writes it reads back unchanged.

/** CDT_VolledigeNaam (WMO301) and CDT_VerkorteNaam (WMO305/307, without partner and NaamGebruik). */
export type IwmoName = {
  achternaam: string;
  voorvoegsel?: string;
  partnerAchternaam?: string;
  partnerVoorvoegsel?: string;
  voornamen?: string;
  voorletters?: string;
  naamGebruik?: string;
};

/** CDT_Adres with its Contact's Soort (01 BRP, 02 correspondentie, 03 verblijf, 04 tijdelijk verblijf). */
export type IwmoAddress = {
  soort: string;
  straatnaam?: string;
  huisnummer?: number;
  huisletter?: string;
  toevoeging?: string;
  postcode?: string;
  plaatsnaam?: string;
};

const joinName = (voorvoegsel: string | undefined, achternaam: string | undefined) =>
  [voorvoegsel, achternaam].filter((s) => s && s.trim()).join(" ");

/**
 * The name people use, by NaamGebruik: 1 own name, 2 the partner's, 3 the partner's followed
 * by the own, 4 the own followed by the partner's; 5 (pseudonym) and 6 as given.
 */
export function lastNameOf(n: IwmoName): string {
  const own = joinName(n.voorvoegsel, n.achternaam);
  const partner = joinName(n.partnerVoorvoegsel, n.partnerAchternaam);
  if (!partner) return own;
  switch (n.naamGebruik) {
    case "2":
      return partner;
    case "3":
      return `${partner}-${own}`;
    case "4":
      return `${own}-${partner}`;
    default:
      return own;
  }
}

/** Voornamen as written, else the initials with dots ("T." for T), else empty. */
export function firstNameOf(n: IwmoName): string {
  if (n.voornamen?.trim()) return n.voornamen.trim();
  if (n.voorletters?.trim()) return n.voorletters.trim().split("").join(".") + ".";
  return "";
}

/**
 * dagdeel keeps one last name (with its prefix, "de Wit"); it travels whole as Achternaam,
 * NaamGebruik 1, so it reads back as it was written.
 */
export function iwmoNameOf(client: { first_name: string; last_name: string }): IwmoName {
  return { achternaam: client.last_name, voornamen: client.first_name || undefined, naamGebruik: "1" };
}

// "Dorpsstraat 12", "Markt 3a", "Straatweg 100C BAL": street, number, letter, addition.
const STREET = /^(.*\S)\s+(\d{1,5})([A-Za-z])?(?:\s+([A-Za-z0-9]{1,4}))?$/;

export type StreetParts = { straatnaam: string; huisnummer?: number; huisletter?: string; toevoeging?: string };

/** Splits "Dorpsstraat 12a" into its parts; a street without a number is all straatnaam. */
export function splitStreet(street: string): StreetParts {
  const m = street.trim().match(STREET);
  if (!m || m[2].startsWith("0")) return { straatnaam: street.trim() };
  return { straatnaam: m[1], huisnummer: Number(m[2]), huisletter: m[3], toevoeging: m[4] };
}

export function joinStreet(p: Partial<StreetParts>): string {
  const number = p.huisnummer !== undefined ? `${p.huisnummer}${p.huisletter ?? ""}${p.toevoeging ? ` ${p.toevoeging}` : ""}` : "";
  return [p.straatnaam, number].filter(Boolean).join(" ");
}

/** "5988AA" and "5988 aa" are the Dutch postcode "5988 AA"; any other postcode stays as given. */
export function normalisePostcode(postcode: string): string {
  const m = postcode.trim().toUpperCase().match(/^(\d{4})\s*([A-Z]{2})$/);
  return m ? `${m[1]} ${m[2]}` : postcode.trim();
}

/** The Dutch postcode without its space, as iWmo messages write it ("5988AA"). */
export function iwmoPostcode(postcode: string): string {
  const normal = normalisePostcode(postcode);
  return /^\d{4} [A-Z]{2}$/.test(normal) ? normal.replace(" ", "") : normal;
}

/**
 * The address dagdeel uses (for transport, where the client is picked up): the verblijfadres
 * when there is one, else the BRP address, else the first address given.
 */
export function preferredAddress(addresses: IwmoAddress[]): IwmoAddress | undefined {
  const withData = addresses.filter((a) => a.straatnaam || a.postcode || a.plaatsnaam);
  return withData.find((a) => a.soort === "03") ?? withData.find((a) => a.soort === "01") ?? withData[0];
}

/** Straatnaam is at most 24 characters in iWmo (LDT_Straatnaam). */
export const MAX_STRAATNAAM = 24;

/** The client's address as an iWmo BRP address; a street name iWmo cannot hold is left out. */
export function iwmoAddressOf(client: { street: string | null; postcode: string | null; village: string | null }): IwmoAddress {
  const address: IwmoAddress = { soort: "01" };
  if (client.street) {
    const parts = splitStreet(client.street);
    if (parts.straatnaam.length <= MAX_STRAATNAAM) Object.assign(address, parts);
  }
  if (client.postcode) address.postcode = iwmoPostcode(client.postcode);
  if (client.village) address.plaatsnaam = client.village;
  return address;
}
