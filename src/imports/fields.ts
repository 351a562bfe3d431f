// The columns an import understands, with the headers people give them, so a file's columns
// are mapped by themselves the first time (the user corrects what was guessed wrong, and that
// mapping is remembered for the organisation). Label keys are written out for the locale test.

export type FieldDef = { key: string; label: string; required?: boolean; synonyms: string[] };

export const CLIENT_FIELDS: FieldDef[] = [
  { key: "first_name", label: "clientImport.fields.first_name", required: true, synonyms: ["voornaam", "roepnaam", "voornamen", "first name", "firstname", "given name"] },
  { key: "infix", label: "clientImport.fields.infix", synonyms: ["tussenvoegsel", "tussenvoegsels", "voorvoegsel", "tussenv", "infix", "prefix"] },
  { key: "last_name", label: "clientImport.fields.last_name", required: true, synonyms: ["achternaam", "familienaam", "geslachtsnaam", "last name", "lastname", "surname", "family name"] },
  { key: "bsn", label: "clientImport.fields.bsn", synonyms: ["bsn", "burgerservicenummer", "bsn nummer", "sofinummer", "citizen service number"] },
  { key: "birth_date", label: "clientImport.fields.birth_date", synonyms: ["geboortedatum", "geb datum", "geboren", "geboren op", "birth date", "date of birth", "birthdate", "dob"] },
  { key: "street", label: "clientImport.fields.street", synonyms: ["straat", "straatnaam", "adres", "street", "address"] },
  { key: "house_number", label: "clientImport.fields.house_number", synonyms: ["huisnummer", "huisnr", "nr", "nummer", "house number"] },
  { key: "postcode", label: "clientImport.fields.postcode", synonyms: ["postcode", "postal code", "zip", "zipcode"] },
  { key: "village", label: "clientImport.fields.village", synonyms: ["kern", "dorp", "woonplaats", "plaats", "village", "town", "city"] },
  { key: "phone", label: "clientImport.fields.phone", synonyms: ["telefoon", "telefoonnummer", "tel", "mobiel", "phone", "telephone"] },
  { key: "needs_transport", label: "clientImport.fields.needs_transport", synonyms: ["vervoer", "vervoer nodig", "taxi", "wordt gehaald", "transport"] },
  { key: "wheelchair", label: "clientImport.fields.wheelchair", synonyms: ["rolstoel", "rolstoelgebruiker", "wheelchair"] },
  { key: "notes", label: "clientImport.fields.notes", synonyms: ["notities", "opmerkingen", "bijzonderheden", "notitie", "notes", "remarks"] },
];

const DAYS = [
  { n: 1, short: "ma", long: "maandag", en: "mon", enLong: "monday" },
  { n: 2, short: "di", long: "dinsdag", en: "tue", enLong: "tuesday" },
  { n: 3, short: "wo", long: "woensdag", en: "wed", enLong: "wednesday" },
  { n: 4, short: "do", long: "donderdag", en: "thu", enLong: "thursday" },
  { n: 5, short: "vr", long: "vrijdag", en: "fri", enLong: "friday" },
];

/** "ma ochtend" … "vr middag": one column per weekday and dagdeel, a cross where the client comes. */
export const SLOT_FIELDS: (FieldDef & { weekday: number; dagdeel: "ochtend" | "middag" })[] = DAYS.flatMap((d) =>
  (["ochtend", "middag"] as const).map((dagdeel) => {
    const en = dagdeel === "ochtend" ? "morning" : "afternoon";
    return {
      key: `slot_${d.n}_${dagdeel}`,
      label: `scheduleImport.slots.${d.n}_${dagdeel}`,
      weekday: d.n,
      dagdeel,
      synonyms: [`${d.short} ${dagdeel}`, `${d.long} ${dagdeel}`, `${d.short} ${dagdeel.slice(0, 3)}`, `${d.en} ${en}`, `${d.enLong} ${en}`],
    };
  }),
);

export const SCHEDULE_FIELDS: FieldDef[] = [
  { key: "bsn", label: "clientImport.fields.bsn", synonyms: ["bsn", "burgerservicenummer", "bsn nummer"] },
  { key: "first_name", label: "clientImport.fields.first_name", synonyms: ["voornaam", "roepnaam", "first name"] },
  { key: "infix", label: "clientImport.fields.infix", synonyms: ["tussenvoegsel", "tussenvoegsels", "infix"] },
  { key: "last_name", label: "clientImport.fields.last_name", synonyms: ["achternaam", "last name", "surname"] },
  { key: "birth_date", label: "clientImport.fields.birth_date", synonyms: ["geboortedatum", "geboren", "birth date", "date of birth"] },
  { key: "location", label: "scheduleImport.fields.location", required: true, synonyms: ["locatie", "locatienaam", "waar", "location"] },
  { key: "valid_from", label: "scheduleImport.fields.valid_from", required: true, synonyms: ["vanaf", "ingangsdatum", "startdatum", "start", "begindatum", "from", "valid from"] },
  { key: "valid_until", label: "scheduleImport.fields.valid_until", synonyms: ["tot en met", "tot", "einddatum", "until", "end"] },
  { key: "funding", label: "scheduleImport.fields.funding", synonyms: ["financiering", "bekostiging", "funding"] },
  ...SLOT_FIELDS,
];

export type ImportKind = "clients" | "schedules";

export function fieldsOf(kind: ImportKind): FieldDef[] {
  return kind === "clients" ? CLIENT_FIELDS : SCHEDULE_FIELDS;
}
