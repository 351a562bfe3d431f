import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import { FREQUENCIES } from "../../src/domain/allocation";
import { isValidBsn } from "../../src/domain/bsn";
import { addDays } from "../../src/domain/dates";
import { UNIT_EENHEID } from "../../src/iwmo/codes";
import { wmo301For, wmo301Problems, type ExportAllocation, type ExportClient, type ExportInput } from "../../src/iwmo/export";
import { allocationKey, planImport, productKey, type Known, type KnownProduct } from "../../src/iwmo/import-plan";
import { berichtIdentificatie, outgoingProblems, outgoingXml, type OutgoingMessage } from "../../src/iwmo/outgoing";
import { firstNameOf, joinStreet, lastNameOf, normalisePostcode, splitStreet } from "../../src/iwmo/person";
import { validateIwmo, validateIwmoFiles } from "../../src/iwmo/schema";
import { buildWmo301, readWmo301 } from "../../src/iwmo/wmo301";
import { buildWmo305, buildWmo307, readWmo305, readWmo307 } from "../../src/iwmo/wmo305-307";
import { nameSearchKey } from "../../src/domain/search-key";

const FIXTURES = path.resolve(__dirname, "../fixtures/iwmo");
const fixture = (name: string) => fs.readFileSync(path.join(FIXTURES, name), "utf8");

describe("iWmo messages: reading the official examples", function () {
  this.timeout(30_000);

  it("reads WMO301: header, client with name, birth date and address, each toegewezen product", () => {
    const m = readWmo301(fixture("WMO301.xml"));
    expect(m.header).to.deep.equal({ afzender: "0384", ontvanger: "42420001", identificatie: "123456789012", dagtekening: "2023-08-13" });
    expect(m.client.bsn).to.equal("999900006");
    expect(m.client.geboortedatum).to.equal("1967-08-13");
    expect(firstNameOf(m.client.naam)).to.equal("Tim");
    expect(lastNameOf(m.client.naam)).to.equal("de Wit-van Jansen"); // NaamGebruik 4: own name, then the partner's
    expect(m.client.addresses).to.have.length(1);
    expect(joinStreet(m.client.addresses[0])).to.equal("Straatweg 100C BAL");
    expect(m.client.producten).to.deep.equal([
      {
        toewijzingNummer: "101",
        referentieAanbieder: "42420002",
        categorie: "01",
        code: "01A01",
        toewijzingsdatum: "2023-08-13",
        toewijzingstijd: "12:34:56",
        ingangsdatum: "2023-01-01",
        einddatum: "2023-12-31",
        redenWijziging: undefined,
        omvang: { volume: 10, eenheid: "01", frequentie: "1" },
        budget: undefined,
        commentaar: "Toegewezen product 1 Commentaar",
      },
    ]);
  });

  it("reads WMO305 and WMO307: each start and stop product", () => {
    const start = readWmo305(fixture("WMO305.xml"));
    expect(start.header.afzender).to.equal("65656055");
    expect(start.producten.map((p) => [p.toewijzingNummer, p.begindatum])).to.deep.equal([["300201", "2025-04-03"], ["300202", "2025-04-04"]]);
    const stop = readWmo307(fixture("WMO307.xml"));
    expect(stop.producten.map((p) => [p.toewijzingNummer, p.begindatum, p.einddatum, p.redenBeeindiging])).to.deep.equal([
      ["300201", "2025-04-03", "2025-07-18", "31"],
      ["300202", "2025-04-15", "2025-07-18", "31"],
    ]);
  });

  it("writes what it read as messages that pass their XSD, and reads those back the same", async () => {
    const m301 = readWmo301(fixture("WMO301.xml"));
    const m305 = readWmo305(fixture("WMO305.xml"));
    const m307 = readWmo307(fixture("WMO307.xml"));
    const [r301, r305, r307] = await Promise.all([validateIwmo("WMO301", buildWmo301(m301)), validateIwmo("WMO305", buildWmo305(m305)), validateIwmo("WMO307", buildWmo307(m307))]);
    expect(r301.problems).to.deep.equal([]);
    expect(r305.problems).to.deep.equal([]);
    expect(r307.problems).to.deep.equal([]);
    expect(readWmo305(buildWmo305(m305))).to.deep.equal(m305);
    expect(readWmo307(buildWmo307(m307))).to.deep.equal(m307);
  });

  it("the batch check reports each file's own problems and passes the good ones", async () => {
    const good = fixture("WMO301.xml");
    const [a, b, c] = await validateIwmoFiles("WMO301", [
      { name: "goed.xml", xml: good },
      { name: "slecht.xml", xml: good.replace("<wmo301:ToewijzingNummer>101", "<wmo301:ToewijzingNummer>PM-101") },
      { name: "305.xml", xml: fixture("WMO305.xml") },
    ]);
    expect(a).to.deep.equal({ valid: true, problems: [] });
    expect(b.valid).to.equal(false);
    expect(b.problems[0].message).to.contain("ToewijzingNummer").and.contain("PM-101");
    expect(b.problems[0].message).to.not.contain("http://"); // namespaces left out of what people read
    expect(c.valid).to.equal(false);
  });
});

describe("iWmo messages: names and addresses", () => {
  const word = fc.stringMatching(/^[A-Z][a-zé]{1,9}$/);
  it("a street as dagdeel keeps it survives the split into iWmo parts and back (property)", () => {
    const street = fc
      .tuple(fc.array(word, { minLength: 1, maxLength: 2 }), fc.integer({ min: 1, max: 99999 }), fc.option(fc.stringMatching(/^[A-Za-z]$/)), fc.option(fc.stringMatching(/^[A-Z0-9]{1,4}$/)))
      .map(([words, nr, letter, extra]) => `${words.join(" ")} ${nr}${letter ?? ""}${extra ? ` ${extra}` : ""}`);
    fc.assert(
      fc.property(fc.oneof(street, word), (s) => {
        expect(joinStreet(splitStreet(s))).to.equal(s);
      }),
    );
  });

  it("Dutch postcodes are kept as 1234 AB, whatever spacing and case they came in", () => {
    expect(normalisePostcode("5988aa")).to.equal("5988 AA");
    expect(normalisePostcode(" 5988 AA ")).to.equal("5988 AA");
    expect(normalisePostcode("B-1000")).to.equal("B-1000");
  });

  it("the name in use follows NaamGebruik (1 own, 2 partner, 3 partner-own, 4 own-partner)", () => {
    const n = { achternaam: "Wit", voorvoegsel: "de", partnerAchternaam: "Jansen", partnerVoorvoegsel: "van" };
    expect(lastNameOf({ ...n, naamGebruik: "1" })).to.equal("de Wit");
    expect(lastNameOf({ ...n, naamGebruik: "2" })).to.equal("van Jansen");
    expect(lastNameOf({ ...n, naamGebruik: "3" })).to.equal("van Jansen-de Wit");
    expect(lastNameOf({ ...n, naamGebruik: "4" })).to.equal("de Wit-van Jansen");
    expect(firstNameOf({ achternaam: "Wit", voorletters: "TJ" })).to.equal("T.J.");
  });
});

// ---- export → import: the identity on what dagdeel represents -----------------------------------

const PRODUCTS: KnownProduct[] = [
  { id: 1, code: "07A01", name: "Dagbesteding basis", unit: "dagdeel", iwmo_unit: "16", active: true },
  { id: 2, code: "07A02", name: "Dagbesteding intensief", unit: "dagdeel", iwmo_unit: null, active: true },
  { id: 3, code: "08A01", name: "Vervoer", unit: "rit", iwmo_unit: "82", active: true },
  { id: 4, code: "07B01", name: "Begeleiding", unit: "uur", iwmo_unit: "04", active: true },
];
const CATEGORY: Record<string, string> = { "07A01": "07", "07A02": "07", "08A01": "08", "07B01": "07" };
const VILLAGES = ["Baarlo", "Helden", "Kessel-Eik", "Panningen"];

function bsnArb() {
  return fc.integer({ min: 0, max: 99999 }).map((n) => {
    // A BSN from the 9999 test range that passes the 11-test: search the last digits.
    for (let k = n; k < n + 100000; k++) {
      const candidate = `9999${String(k % 100000).padStart(5, "0")}`;
      if (isValidBsn(candidate)) return candidate;
    }
    return "999990019";
  });
}

const dateArb = fc.integer({ min: 0, max: 3000 }).map((n) => addDays("2020-01-01", n));
const nameArb = fc.stringMatching(/^[A-Z][a-zë]{1,11}( [A-Z][a-z]{1,8})?$/);
const lastNameArb = fc.oneof(nameArb, nameArb.map((n) => `van der ${n}`), nameArb.map((n) => `de ${n}`));

const clientArb: fc.Arbitrary<ExportClient> = fc.record({
  bsn: bsnArb(),
  first_name: nameArb,
  last_name: lastNameArb,
  birth_date: fc.integer({ min: 0, max: 30000 }).map((n) => addDays("1920-01-01", n)),
  street: fc.option(
    fc.tuple(fc.stringMatching(/^[A-Z][a-z]{2,12}(straat|weg|plein)$/), fc.integer({ min: 1, max: 999 }), fc.option(fc.stringMatching(/^[a-d]$/))).map(([s, n, l]) => `${s} ${n}${l ?? ""}`),
  ),
  postcode: fc.option(fc.tuple(fc.integer({ min: 1000, max: 9999 }), fc.stringMatching(/^[A-Z]{2}$/)).map(([d, l]) => `${d} ${l}`)),
  village: fc.option(fc.constantFrom(...VILLAGES)),
});

const allocationArb: fc.Arbitrary<ExportAllocation> = fc
  .record({
    product: fc.constantFrom(...PRODUCTS),
    volume: fc.integer({ min: 1, max: 9999 }),
    frequency: fc.constantFrom(...FREQUENCIES),
    valid_from: dateArb,
    length: fc.option(fc.integer({ min: 0, max: 800 })),
  })
  .map((a) => ({
    reference: "0", // replaced below by a unique number
    iwmo_category: CATEGORY[a.product.code],
    iwmo_code: a.product.code,
    eenheid: a.product.iwmo_unit ?? UNIT_EENHEID[a.product.unit as keyof typeof UNIT_EENHEID],
    volume: a.volume,
    frequency: a.frequency,
    valid_from: a.valid_from,
    valid_until: a.length === null ? null : addDays(a.valid_from, a.length),
    decided_on: a.valid_from,
    decided_at: "09:15:00",
  }));

const exportArb: fc.Arbitrary<ExportInput> = fc
  .record({
    client: clientArb,
    allocations: fc.array(allocationArb, { minLength: 1, maxLength: 4 }),
    references: fc.uniqueArray(fc.integer({ min: 1, max: 999_999_999 }), { minLength: 4, maxLength: 4 }),
    identificatie: fc.stringMatching(/^[A-Z0-9]{1,12}$/),
  })
  .map(({ client, allocations, references, identificatie }) => ({
    gemeentecode: "1894",
    agb: "98000001",
    identificatie,
    dagtekening: "2026-11-23",
    client,
    allocations: allocations.map((a, i) => ({ ...a, reference: String(references[i]) })),
  }));

function knownFor(existing: Map<string, Known["allocations"] extends Map<string, infer V> ? V : never> = new Map()): Known {
  return {
    today: "2026-11-23",
    uploaderProviderId: null,
    purchasersByGemeentecode: new Map([["1894", { id: 10, name: "Gemeente Peel en Maas", subkind: "gemeente" }]]),
    providersByAgb: new Map([["98000001", { id: 20, name: "Zorgboerderij A" }]]) as Known["providersByAgb"],
    clientsByBsn: new Map(),
    allocations: existing,
    products: new Map(PRODUCTS.map((p) => [productKey(CATEGORY[p.code], p.code), p])),
    villages: new Map(VILLAGES.map((v, i) => [nameSearchKey(v), { id: 100 + i, name: v }])),
  };
}

describe("iWmo messages: dagdeel's own WMO301 export imports as what was exported", function () {
  this.timeout(60_000);

  it("plans exactly the exported client and allocations as new (property)", () => {
    fc.assert(
      fc.property(exportArb, (input) => {
        const message = readWmo301(buildWmo301(wmo301For(input)));
        const plan = planImport([{ name: "x.xml", message }], knownFor());
        expect(plan.blocked).to.equal(false);
        const c = plan.files[0].client;
        expect(c.problems).to.deep.equal([]);
        const village = input.client.village ? 100 + VILLAGES.indexOf(input.client.village) : null;
        expect(c.incoming).to.deep.equal({
          first_name: input.client.first_name,
          last_name: input.client.last_name,
          birth_date: input.client.birth_date,
          street: input.client.street,
          postcode: input.client.postcode,
          village_id: village,
        });
        expect(c.products.map((p) => p.message.toewijzingNummer)).to.deep.equal(input.allocations.map((a) => a.reference));
        c.products.forEach((p, i) => {
          const a = input.allocations[i];
          expect(p.problems, JSON.stringify(p.problems)).to.deep.equal([]);
          expect(p.changes).to.deep.equal(["new"]);
          expect(p.values).to.deep.equal({ product_id: PRODUCTS.find((x) => x.code === a.iwmo_code)!.id, volume: a.volume, frequency: a.frequency, valid_from: a.valid_from, valid_until: a.valid_until });
        });
      }),
      { numRuns: 150 },
    );
  });

  it("imports a second time as unchanged: nothing to write (property)", () => {
    fc.assert(
      fc.property(exportArb, (input) => {
        const message = readWmo301(buildWmo301(wmo301For(input)));
        const known = knownFor(
          new Map(
            input.allocations.map((a, i) => [
              allocationKey(10, a.reference),
              { id: i + 1, client_id: 7, provider_id: 20, product_id: PRODUCTS.find((x) => x.code === a.iwmo_code)!.id, volume: a.volume, frequency: a.frequency, valid_from: a.valid_from, valid_until: a.valid_until },
            ]),
          ),
        );
        const c = input.client;
        known.clientsByBsn.set(c.bsn!, { id: 7, first_name: c.first_name, last_name: c.last_name, birth_date: c.birth_date, street: c.street, postcode: c.postcode, village_id: c.village ? 100 + VILLAGES.indexOf(c.village) : null, ended_on: null, visible: true });
        const plan = planImport([{ name: "x.xml", message }], known);
        expect(plan.writes).to.equal(0);
        for (const p of plan.files[0].client.products) expect(p.changes).to.deep.equal(["unchanged"]);
      }),
      { numRuns: 100 },
    );
  });

  it("every exported message passes WMO301.xsd (a sample of 40, checked in one run)", async () => {
    const files = fc.sample(exportArb, { numRuns: 40, seed: 301 }).map((input, i) => ({ name: `e${i}`, xml: buildWmo301(wmo301For(input)) }));
    const results = await validateIwmoFiles("WMO301", files);
    results.forEach((r, i) => expect(r.problems, files[i].xml).to.deep.equal([]));
  });

  it("names what keeps a WMO301 from being written: no BSN, no birth date, a reference that is not a number", () => {
    const input = fc.sample(exportArb, { numRuns: 1, seed: 7 })[0];
    expect(wmo301Problems({ ...input, client: { ...input.client, bsn: null, birth_date: null } })).to.include.members(["bsn", "birthDate"]);
    expect(wmo301Problems({ ...input, allocations: [{ ...input.allocations[0], reference: "PM-T-104237" }] })).to.include("toewijzingNummer");
    expect(wmo301Problems({ ...input, allocations: [{ ...input.allocations[0], reference: "00123" }] })).to.include("toewijzingNummer");
    expect(wmo301Problems({ ...input, gemeentecode: null })).to.include("gemeentecode");
    expect(() => wmo301For({ ...input, agb: "12" })).to.throw(RangeError);
  });
});

describe("iWmo messages: WMO305 and WMO307 from a message row", function () {
  this.timeout(30_000);
  const base: OutgoingMessage = {
    id: 42,
    kind: "start",
    start_date: "2026-11-02",
    end_date: null,
    reason: null,
    reference: "104237",
    allocation_from: "2026-11-01",
    bsn: "999990019",
    first_name: "Anna",
    last_name: "Peeters",
    birth_date: "1950-05-04",
    iwmo_category: "07",
    iwmo_code: "07A01",
    provider_agb: "98000001",
    purchaser_gemeentecode: "1894",
  };

  it("writes a start and a stop that pass their XSD and read back as written", async () => {
    const start = outgoingXml(base, "2026-11-23");
    const stop = outgoingXml({ ...base, kind: "stop", end_date: "2026-12-31", reason: "20" }, "2026-11-23");
    expect((await validateIwmo("WMO305", start)).problems).to.deep.equal([]);
    expect((await validateIwmo("WMO307", stop)).problems).to.deep.equal([]);
    const read = readWmo307(stop);
    expect(read.header).to.deep.equal({ afzender: "98000001", ontvanger: "1894", identificatie: "DGD700000042", dagtekening: "2026-11-23" });
    expect(read.producten).to.deep.equal([{ toewijzingNummer: "104237", categorie: "07", code: "07A01", toewijzingIngangsdatum: "2026-11-01", begindatum: "2026-11-02", statusAanlevering: "1", redenBeeindiging: "20", einddatum: "2026-12-31" }]);
    expect(readWmo305(start).producten[0].begindatum).to.equal("2026-11-02");
    expect(berichtIdentificatie("start", 42)).to.equal("DGD500000042");
  });

  it("every start and stop it writes passes its XSD (a sample of 30 each, checked in one run)", async () => {
    const row = fc.record({
      id: fc.integer({ min: 1, max: 99_999_999 }),
      start_date: dateArb,
      length: fc.integer({ min: 0, max: 400 }),
      reason: fc.constantFrom("02", "19", "20", "21", "22", "23", "31", "36", "37", "38", "39"),
      reference: fc.integer({ min: 0, max: 999_999_999 }).map(String),
      first_name: nameArb,
      last_name: lastNameArb,
    });
    const samples = fc.sample(row, { numRuns: 30, seed: 305 });
    const starts = samples.map((s, i) => ({ name: `s${i}`, xml: outgoingXml({ ...base, ...s, kind: "start" }, "2026-11-23") }));
    const stops = samples.map((s, i) => ({ name: `t${i}`, xml: outgoingXml({ ...base, ...s, kind: "stop", end_date: addDays(s.start_date, s.length) }, "2026-11-23") }));
    for (const r of await validateIwmoFiles("WMO305", starts)) expect(r.problems).to.deep.equal([]);
    for (const r of await validateIwmoFiles("WMO307", stops)) expect(r.problems).to.deep.equal([]);
  });

  it("names what is missing instead of writing an invalid message", () => {
    expect(outgoingProblems({ ...base, provider_agb: null, bsn: null, reference: "PM-T-1" })).to.deep.equal(["agb", "bsn", "toewijzingNummer"]);
    expect(outgoingProblems({ ...base, kind: "stop" })).to.deep.equal(["reason"]);
    expect(() => outgoingXml({ ...base, birth_date: null }, "2026-11-23")).to.throw(RangeError);
  });
});
