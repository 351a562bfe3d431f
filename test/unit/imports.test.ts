import { expect } from "chai";
import fc from "fast-check";
import { DateTime } from "luxon";
import { isValidBsn } from "../../src/domain/bsn";
import { parseSheetBsn, parseSheetDate, parseYesNo } from "../../src/imports/cells";
import { findVillage, readClientRow } from "../../src/imports/client-rows";
import { CLIENT_FIELDS, SCHEDULE_FIELDS } from "../../src/imports/fields";
import { mappingFromForm, rememberedOf, resolveMapping } from "../../src/imports/mapping";
import { readScheduleRow } from "../../src/imports/schedule-rows";
import { decodeText, detectDelimiter, readCsv } from "../../src/imports/table";
import { templateHeader } from "../../src/imports/templates";

// The pure rules of the spreadsheet import: dates as Dutch users and ISO write them, BSNs as
// spreadsheets keep them (against the 11-test), yes/no cells, CSV dialects, and the column
// mapping — property tests where a rule has many cases.

const dates = fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true }).map((d) => DateTime.fromJSDate(d, { zone: "UTC" }));

/** A valid BSN built from eight digits and its check digit (none exists for some prefixes). */
const bsns = fc.stringMatching(/^[0-9]{8}$/).chain((prefix) => {
  const check = [..."0123456789"].find((d) => isValidBsn(prefix + d));
  return check === undefined ? fc.constant(null) : fc.constant(prefix + check);
}).filter((b): b is string => b !== null);

describe("import: dates", () => {
  it("d-M-yyyy with -, / or ., with or without leading zeros, and ISO, all read as the same date", () => {
    fc.assert(
      fc.property(dates, fc.constantFrom("-", "/", "."), fc.boolean(), (d, sep, pad) => {
        const iso = d.toISODate()!;
        const day = pad ? d.toFormat("dd") : String(d.day);
        const month = pad ? d.toFormat("MM") : String(d.month);
        const dutch = parseSheetDate(`${day}${sep}${month}${sep}${d.year}`);
        const isoParsed = parseSheetDate(` ${iso} `);
        return dutch.ok && dutch.value === iso && isoParsed.ok && isoParsed.value === iso;
      }),
    );
  });

  it("a day that does not exist is impossible, whichever way it is written", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2100 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 29, max: 31 }), (year, month, day) => {
        const exists = DateTime.fromObject({ year, month, day }).isValid;
        const dutch = parseSheetDate(`${day}-${month}-${year}`);
        const iso = parseSheetDate(`${year}-${String(month).padStart(2, "0")}-${day}`);
        return exists ? dutch.ok && iso.ok : !dutch.ok && dutch.error === "clientImport.errors.dateImpossible" && !iso.ok && iso.error === "clientImport.errors.dateImpossible";
      }),
    );
    for (const text of ["0-1-1950", "1-13-1950", "1-0-1950", "29-2-1951"]) expect(parseSheetDate(text), text).to.deep.equal({ ok: false, error: "clientImport.errors.dateImpossible" });
    expect(parseSheetDate("29-2-1952")).to.deep.equal({ ok: true, value: "1952-02-29" });
  });

  it("anything else is not a date: two-digit years, words, American order with a month name", () => {
    for (const text of ["1-2-50", "morgen", "Jan 3 1950", "1950/01/03", "3-1-1950 10:00", "31121950"]) {
      expect(parseSheetDate(text), text).to.deep.equal({ ok: false, error: "clientImport.errors.dateFormat" });
    }
  });
});

describe("import: BSN", () => {
  it("a valid BSN reads back as itself however it is typed (spaces, dots, dashes)", () => {
    fc.assert(
      fc.property(bsns, fc.constantFrom("", " ", ".", "-"), (bsn, sep) => {
        const typed = `${bsn.slice(0, 4)}${sep}${bsn.slice(4, 6)}${sep}${bsn.slice(6)}`;
        const parsed = parseSheetBsn(typed);
        return parsed.ok && parsed.value === bsn;
      }),
    );
  });

  it("a BSN with a leading zero that a numeric column dropped gets it back", () => {
    fc.assert(
      fc.property(bsns.filter((b) => b.startsWith("0")), (bsn) => {
        const parsed = parseSheetBsn(bsn.slice(1));
        return parsed.ok && parsed.value === bsn;
      }),
    );
  });

  it("accepts exactly what the 11-test accepts for nine digits", () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{9}$/), (digits) => parseSheetBsn(digits).ok === isValidBsn(digits)),
    );
    expect(parseSheetBsn("123456789")).to.deep.equal({ ok: false, error: "clientImport.errors.bsn" });
    expect(parseSheetBsn("12345")).to.deep.equal({ ok: false, error: "clientImport.errors.bsn" });
  });
});

describe("import: yes/no cells", () => {
  it("knows the ways people write yes and no, and refuses the rest", () => {
    for (const yes of ["ja", "J", "x", "X", "1", "yes", "TRUE"]) expect(parseYesNo(yes), yes).to.deep.equal({ ok: true, value: true });
    for (const no of ["", "nee", "N", "0", "no", "false", " "]) expect(parseYesNo(no), no).to.deep.equal({ ok: true, value: false });
    expect(parseYesNo("misschien").ok).to.equal(false);
  });
});

describe("import: CSV dialects", () => {
  const cell = fc.stringMatching(/^[A-Za-z0-9 éëïöü'-]{0,12}$/).map((s) => s.trim());
  const tables = fc.integer({ min: 1, max: 6 }).chain((width) =>
    fc.tuple(fc.array(cell.filter((c) => c !== ""), { minLength: width, maxLength: width }), fc.array(fc.array(cell, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 8 })),
  );

  it("semicolon or comma, quoted or not, with or without BOM, CRLF or LF: the same table", () => {
    fc.assert(
      fc.property(tables, fc.constantFrom(";", ","), fc.boolean(), fc.constantFrom("\n", "\r\n"), fc.boolean(), ([header, rows], sep, bom, eol, quote) => {
        const nonEmpty = rows.filter((r) => r.some((c) => c !== ""));
        fc.pre(nonEmpty.length > 0);
        const q = (c: string) => (quote ? `"${c}"` : c);
        const text = [header, ...rows].map((r) => r.map(q).join(sep)).join(eol);
        const table = readCsv(Buffer.from((bom ? "\uFEFF" : "") + text, "utf8"));
        return JSON.stringify(table.header) === JSON.stringify(header) && JSON.stringify(table.rows) === JSON.stringify(nonEmpty);
      }),
    );
  });

  it("a comma inside quotes does not make a semicolon file a comma file", () => {
    expect(detectDelimiter('Naam;Notities\n"Jan";"Komt, soms"')).to.equal(";");
    expect(detectDelimiter('"Naam; voluit",Notities\nJan,x')).to.equal(",");
    const table = readCsv(Buffer.from('Voornaam;Notities\nJan;"maandag, dinsdag"\n'));
    expect(table.rows).to.deep.equal([["Jan", "maandag, dinsdag"]]);
  });

  it("reads UTF-8 with or without BOM, and falls back to Windows-1252 for an old Excel's CSV", () => {
    expect(decodeText(Buffer.from("\uFEFFRené", "utf8"))).to.equal("René");
    expect(decodeText(Buffer.from("René", "utf8"))).to.equal("René");
    expect(decodeText(Buffer.from([0x52, 0x65, 0x6e, 0xe9]))).to.equal("René");
  });
});

describe("import: column mapping", () => {
  it("maps every field of its own template, whatever the order of the columns", () => {
    for (const fields of [CLIENT_FIELDS, SCHEDULE_FIELDS]) {
      const header = templateHeader(fields === CLIENT_FIELDS ? "clients" : "schedules");
      fc.assert(
        fc.property(fc.shuffledSubarray(header.map((h, i) => [h, i] as const), { minLength: header.length, maxLength: header.length }), (shuffled) => {
          const mapping = resolveMapping(fields, shuffled.map(([h]) => h), null);
          return fields.every((f, i) => mapping[f.key] === shuffled.findIndex(([, orig]) => orig === i));
        }),
        { numRuns: 30 },
      );
    }
  });

  it("headers are compared without case, accents or punctuation", () => {
    const mapping = resolveMapping(CLIENT_FIELDS, ["ACHTERNAAM", "Voor-naam", "Geb. datum", "B.S.N."], null);
    expect(mapping.last_name).to.equal(0);
    expect(mapping.birth_date).to.equal(2);
    expect(mapping.bsn).to.equal(3);
    expect(mapping.first_name, "'voor naam' is not one of its names").to.equal(null);
  });

  it("remembers a choice by header and a turned-down guess, and applies both to the next file", () => {
    const header = ["Roepnaam", "Familie", "Kern", "Woonplaats"];
    const chosen = { ...resolveMapping(CLIENT_FIELDS, header, null), last_name: 1, village: 3 };
    const remembered = rememberedOf(CLIENT_FIELDS, chosen, header);
    expect(remembered.last_name).to.equal("Familie");
    expect(remembered.village).to.equal("Woonplaats");
    const next = resolveMapping(CLIENT_FIELDS, ["Woonplaats", "Kern", "Familie", "Roepnaam"], remembered);
    expect(next).to.include({ first_name: 3, last_name: 2, village: 0 });
    const without = { ...chosen, village: null };
    const refused = rememberedOf(CLIENT_FIELDS, without, ["Roepnaam", "Familie", "Kern"]);
    expect(refused.village).to.deep.equal({ not: "Kern" });
    expect(resolveMapping(CLIENT_FIELDS, ["Kern", "Familie"], refused).village).to.equal(null);
  });

  it("the form: a required field unmapped, a column twice, a column that is not there", () => {
    const { errors } = mappingFromForm(CLIENT_FIELDS, ["A", "B"], { map_first_name: "0", map_bsn: "0", map_phone: "7" });
    expect(errors).to.deep.equal({ map_last_name: "clientImport.errors.mapRequired", map_bsn: "clientImport.errors.mapTwice", map_phone: "errors.choice" });
  });
});

describe("import: one client row", () => {
  const villages = [{ id: 1, name: "Helden" }, { id: 2, name: "Kessel" }, { id: 3, name: "Kessel" }, { id: 4, name: "Kessel-Eik" }];
  const header = templateHeader("clients");
  const mapping = resolveMapping(CLIENT_FIELDS, header, null);
  const row = (values: Record<string, string>) => header.map((h) => values[h] ?? "");

  it("joins the name prefix to the last name and the house number to the street", () => {
    const { draft, problems } = readClientRow(row({ Voornaam: "Sjef", Tussenvoegsel: "van der", Achternaam: "Linden", Straat: "Markt", Huisnummer: "3a", Kern: "helden" }), mapping, villages, "2026-11-23");
    expect(problems).to.deep.equal([]);
    expect(draft).to.include({ first_name: "Sjef", last_name: "van der Linden", street: "Markt 3a", village_id: 1, needs_transport: null, bsn: null });
  });

  it("names every problem with its field: names missing, 11-test, village unknown or twice known, a birth date ahead, yes/no", () => {
    const { problems } = readClientRow(row({ BSN: "123456789", Geboortedatum: "1-1-2030", Kern: "Kessel", Vervoer: "soms", Postcode: "59" }), mapping, villages, "2026-11-23");
    expect(problems).to.deep.equal([
      { field: "first_name", key: "errors.required" },
      { field: "last_name", key: "errors.required" },
      { field: "birth_date", key: "clients.errors.birthDateFuture" },
      { field: "bsn", key: "clientImport.errors.bsn" },
      { field: "village", key: "clientImport.errors.villageAmbiguous" },
      { field: "postcode", key: "clients.errors.postcode" },
      { field: "needs_transport", key: "clientImport.errors.yesNo" },
    ]);
    expect(findVillage("Atlantis", villages)).to.deep.equal({ ok: false, error: "clientImport.errors.villageUnknown" });
    expect(findVillage("kessel eik", villages)).to.deep.equal({ ok: true, value: 4 });
  });
});

describe("import: one schedule row", () => {
  const header = templateHeader("schedules");
  const mapping = resolveMapping(SCHEDULE_FIELDS, header, null);
  const row = (values: Record<string, string>) => header.map((h) => values[h] ?? "");

  it("reads who, where, from when and the crosses in the grid", () => {
    const { draft, problems } = readScheduleRow(row({ BSN: "999990019", Locatie: "De Peelhoeve", Vanaf: "1-12-2026", Financiering: "PGB", "Ma ochtend": "x", "Wo middag": "ja" }), mapping);
    expect(problems).to.deep.equal([]);
    expect(draft).to.include({ bsn: "999990019", location: "De Peelhoeve", valid_from: "2026-12-01", funding: "pgb" });
    expect(draft.slots).to.deep.equal([{ weekday: 1, dagdeel: "ochtend" }, { weekday: 3, dagdeel: "middag" }]);
  });

  it("wants someone to find, a location, a start and at least one dagdeel", () => {
    const { problems } = readScheduleRow(row({ Voornaam: "Anna", Financiering: "gratis" }), mapping);
    expect(problems.map((p) => p.field)).to.deep.equal(["last_name", "location", "valid_from", "funding", "slots"]);
  });
});
