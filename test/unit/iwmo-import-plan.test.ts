import { expect } from "chai";
import fc from "fast-check";
import { addDays } from "../../src/domain/dates";
import { FREQUENCIES } from "../../src/domain/allocation";
import { changesOf, planImport, productKey, type ChangeKind, type FileProblem, type Known, type KnownAllocation, type ProductProblem } from "../../src/iwmo/import-plan";
import { fileProblem, note, productProblem } from "../../src/iwmo/import-view";
import { translator } from "../../src/web/i18n";
import { readWmo301 } from "../../src/iwmo/wmo301";
import { product, wmo301 } from "../support/iwmo-fixtures";

// The plan of a WMO301 upload, before anything is written.

function known(overrides: Partial<Known> = {}): Known {
  return {
    today: "2026-11-23",
    uploaderProviderId: null,
    purchasersByGemeentecode: new Map([["1894", { id: 1, name: "Gemeente Peel en Maas", subkind: "gemeente" }]]),
    providersByAgb: new Map([["98000001", { id: 2, name: "Zorgboerderij A", subkind: "zorgboerderij" }]]),
    clientsByBsn: new Map(),
    allocations: new Map(),
    products: new Map([[productKey("07", "07A01"), { id: 5, code: "07A01", name: "Dagbesteding basis", unit: "dagdeel", iwmo_unit: "16", active: true }]]),
    villages: new Map([["helden", { id: 9, name: "Helden" }]]),
    ...overrides,
  };
}

const file = (name: string, opts: Parameters<typeof wmo301>[0]) => ({ name, message: readWmo301(wmo301(opts)) });

describe("WMO301 import plan", () => {
  it("applies messages in Dagtekening order: a later message about the same ToewijzingNummer compares with the earlier one", () => {
    const later = file("later.xml", { identificatie: "B", dagtekening: "2026-11-21", producten: [product({ toewijzingNummer: "7", omvang: { volume: 6, eenheid: "16", frequentie: "2" } })] });
    const earlier = file("earlier.xml", { identificatie: "A", dagtekening: "2026-11-20", producten: [product({ toewijzingNummer: "7" })] });
    const plan = planImport([later, earlier], known());
    expect(plan.files.map((f) => f.name)).to.deep.equal(["earlier.xml", "later.xml"]);
    expect(plan.files[0].client.products[0].changes).to.deep.equal(["new"]);
    expect(plan.files[1].client.products[0].changes).to.deep.equal(["volume"]);
    expect(plan.files[1].client.createdByEarlierFile).to.equal(true);
    // One client, two allocation writes (the second an update of the first).
    expect(plan.writes).to.equal(3);
  });

  it("refuses a provider's upload for another provider, and names an unknown gemeente", () => {
    const plan = planImport([file("x.xml", { afzender: "0384", ontvanger: "98000001" })], known({ uploaderProviderId: 3 }));
    expect(plan.blocked).to.equal(true);
    expect(plan.files[0].problems).to.deep.equal([{ code: "unknownGemeente", gemeentecode: "0384" }, { code: "otherProvider", agb: "98000001" }]);
    expect(plan.files[0].client.products).to.deep.equal([]);
  });

  it("fills only what dagdeel lacks of a known client, and shows where it differs", () => {
    const k = known();
    k.clientsByBsn.set("999990044", { id: 4, first_name: "Truus", last_name: "Hendriks", birth_date: null, street: null, postcode: "5988 AB", village_id: 9, ended_on: null, visible: true });
    const c = planImport([file("x.xml", {})], k).files[0].client;
    expect(c.fills).to.deep.equal({ birth_date: "1948-03-12", street: "Dorpsstraat 12" });
    expect(c.differs).to.deep.equal(["last_name"]);
  });

  it("blocks a product that starts after the client ended", () => {
    const k = known();
    k.clientsByBsn.set("999990044", { id: 4, first_name: "Truus", last_name: "Hendrix", birth_date: "1948-03-12", street: "Dorpsstraat 12", postcode: "5988 AB", village_id: 9, ended_on: "2026-11-30", visible: true });
    const p = planImport([file("x.xml", {})], k).files[0].client.products[0];
    expect(p.problems).to.deep.equal([{ code: "clientEnded", endedOn: "2026-11-30" }]);
    expect(p.writes).to.equal(false);
  });

  it("classifies every change of period and volume (property)", () => {
    const base = fc.record({
      product_id: fc.constantFrom(5, 6),
      volume: fc.integer({ min: 1, max: 20 }),
      frequency: fc.constantFrom(...FREQUENCIES),
      valid_from: fc.integer({ min: 0, max: 400 }).map((n) => addDays("2026-01-01", n)),
      valid_until: fc.option(fc.integer({ min: 0, max: 800 }).map((n) => addDays("2026-01-01", n))),
    });
    fc.assert(
      fc.property(base, base, (before, after) => {
        const changes = changesOf({ id: 1, client_id: 1, provider_id: 2, ...before } as KnownAllocation, after, "2026-11-23");
        const same = JSON.stringify(before) === JSON.stringify(after);
        expect(changes.includes("unchanged")).to.equal(same);
        if (!same) expect(changes).to.not.include("unchanged");
        const oldEnd = before.valid_until ?? "9999-12-31";
        const newEnd = after.valid_until ?? "9999-12-31";
        expect(changes.includes("extended")).to.equal(newEnd > oldEnd);
        expect(changes.includes("shortened") || changes.includes("ended")).to.equal(newEnd < oldEnd);
        expect(changes.includes("ended")).to.equal(newEnd < oldEnd && newEnd < "2026-11-23");
        expect(changes.includes("volume")).to.equal(before.volume !== after.volume || before.frequency !== after.frequency);
        expect(changes.includes("startMoved")).to.equal(before.valid_from !== after.valid_from);
        expect(changes.includes("product")).to.equal(before.product_id !== after.product_id);
      }),
    );
    expect(changesOf(null, { product_id: 5, volume: 1, frequency: "week", valid_from: "2026-01-01", valid_until: null }, "2026-11-23")).to.deep.equal(["new"]);
  });
});

describe("WMO301 import plan: every problem, note and change has words in both languages", () => {
  const productProblems: ProductProblem[] = [
    { code: "noProduct" }, { code: "unknownProduct", category: "07", productCode: "X" }, { code: "inactiveProduct", productCode: "X" }, { code: "noOmvang" },
    { code: "mapping", detail: { code: "eenheid", from: "14", to: "16" } }, { code: "mapping", detail: { code: "notWhole", volume: 6, from: "04", to: "16" } },
    { code: "mapping", detail: { code: "frequentie", frequentie: "3" } }, { code: "mapping", detail: { code: "zero" } }, { code: "mapping", detail: { code: "tooLarge", volume: 10000 } },
    { code: "period" }, { code: "otherClient" }, { code: "otherProvider" }, { code: "clientEnded", endedOn: "2026-11-30" }, { code: "client" },
  ];
  const fileProblems: FileProblem[] = [{ code: "unknownGemeente", gemeentecode: "1" }, { code: "notGemeente", name: "x" }, { code: "unknownProvider", agb: "1" }, { code: "otherProvider", agb: "1" }];
  const changes: ChangeKind[] = ["new", "unchanged", "extended", "shortened", "ended", "startMoved", "volume", "product"];
  const clientProblems = ["bsn", "noFirstName", "tooLong", "birthDate"];
  const fields = ["first_name", "last_name", "birth_date", "street", "postcode", "village_id"];

  for (const lang of ["nl", "en"] as const) {
    it(lang, () => {
      const t = translator(lang);
      const keys = [
        ...productProblems.map((p) => productProblem(p).key),
        ...fileProblems.map((p) => fileProblem(p).key),
        note({ code: "perDay", perDay: 1 }).key,
        note({ code: "converted", volume: 1, from: "04", to: "16" }).key,
        ...changes.map((c) => `iwmo.import.changes.${c}`),
        ...clientProblems.map((c) => `iwmo.import.clientProblems.${c}`),
        ...fields.map((f) => `iwmo.import.fields.${f}`),
      ];
      for (const key of keys) expect(t(key), key).to.not.equal(key);
    });
  }
});
