import { expect } from "chai";
import { readWmo323 } from "../../src/domain/wmo323";
import { validateIwmo } from "../../src/iwmo/schema";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { buildContractsWorld, type ContractsWorld } from "../support/contracts-fixtures";
import { acceptRest, attendMonth, declarationRow, linesOf, openCorrection, prepare, record, refuseLine, submit, type LineRow } from "../support/declaration-flow";
import { withNameKeys } from "../../src/db/name-keys";

// Corrections the iWmo way (IV090, IV091), driven over HTTP end to end — the attendance
// changes go through the daily list like a provider records them, never into the table:
// provider A declares September and October to the gemeente (and September to the
// zorgkantoor, for a client who comes on Thursdays); the gemeente answers. Opening a
// correction of September unlocks September for provider A and the gemeente only; the
// correction is sent in the current period (October), credits the changed prestatie exactly
// as it was declared and debits it anew; a second correction works the same; a refused
// prestatie is declared again by a correction.
//
// Each step runs once, when the first test that needs it asks, so every test passes alone.

const AT = "2026-11-01T08:00:00.000Z";
const reference = (lineId: number) => `DGDR${String(lineId).padStart(8, "0")}`;

function once<T>(run: () => Promise<T>): () => Promise<T> {
  let done: Promise<T> | null = null;
  return () => (done ??= run());
}

describe("HTTP: corrections of an answered month", function () {
  this.timeout(120_000); // each part starts its own app and drives whole declarations over HTTP
  let ctx: TestContext;
  let cw: ContractsWorld;
  let providerA: Agent;
  let providerB: Agent;
  let gemeente: Agent;
  let zorgkantoor: Agent;
  let dirk: number;

  const insert = async (table: string, row: Record<string, unknown>) => {
    const [r] = await ctx.db(table).insert(withNameKeys(table, { created_at: AT, updated_at: AT, ...row })).returning("id");
    return typeof r === "object" ? r.id : r;
  };

  before(async () => {
    ctx = await startTestApp();
    cw = await buildContractsWorld(ctx.db, ctx.world);
    await attendMonth(ctx.db, ctx.world, cw, "2026-09-01", "2026-09-30");
    // Dirk: the zorgkantoor's client at provider A, Thursday mornings, all of September.
    const contract = await insert("contracts", { purchaser_id: ctx.world.zorgkantoor, provider_id: ctx.world.providerA, reference: "VGZ-A", kind: "inkoop", valid_from: "2026-01-01", valid_until: "2026-12-31", status: "actief" });
    await insert("contract_lines", { contract_id: contract, product_id: cw.products.wlzDag, tariff_cents: cw.TARIFF_WLZ, valid_from: "2026-01-01", valid_until: "2026-12-31" });
    dirk = await insert("clients", { first_name: "Dirk", last_name: "Driessen", bsn: "999901047", village_id: ctx.world.village });
    const allocation = await insert("allocations", { client_id: dirk, purchaser_id: ctx.world.zorgkantoor, provider_id: ctx.world.providerA, product_id: cw.products.wlzDag, volume: 1, frequency: "week", valid_from: "2026-01-01", reference: "VGZ-A-1" });
    const schedule = await insert("schedules", { client_id: dirk, location_id: ctx.world.locationA, funding: "toewijzing", allocation_id: allocation, contract_id: contract, product_id: cw.products.wlzDag, valid_from: "2026-09-01", week_parity: "elke" });
    await insert("schedule_slots", { schedule_id: schedule, weekday: 4, dagdeel: "ochtend" });
    for (const date of ["2026-09-03", "2026-09-10", "2026-09-17", "2026-09-24"]) {
      await insert("attendance", { client_id: dirk, location_id: ctx.world.locationA, date, dagdeel: "ochtend", status: "aanwezig", recorded_at: AT });
    }
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
    gemeente = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    zorgkantoor = await loginAs(ctx.app, ctx.world.users.zorgkantoor.email);
  });
  after(async () => ctx.close());

  const bertIn = (month: string) => cw.attendance.find((a) => a.client_id === cw.clients.bert && a.date.startsWith(month))!;
  const bertLine = (lines: LineRow[], tariff: number) => lines.find((l) => l.client_id === cw.clients.bert && l.tariff_cents === tariff && l.debit_credit === "D")!;

  /** September to both purchasers and October to the gemeente, submitted in order; September answered in full. */
  const declared = once(async () => {
    const september = await prepare(providerA, ctx.world.gemeente, "2026-09");
    await submit(providerA, september);
    await acceptRest(gemeente, september);
    const wlz = await prepare(providerA, ctx.world.zorgkantoor, "2026-09");
    await submit(providerA, wlz);
    const october = await prepare(providerA, ctx.world.gemeente, "2026-10");
    await submit(providerA, october);
    return { september, wlz, october };
  });

  /** The first correction of September: Bert cancelled his first September Tuesday. */
  const firstCorrection = once(async () => {
    const { september } = await declared();
    const id = await openCorrection(providerA, september, "Bert had zich op de eerste dinsdag afgemeld.");
    const res = await record(providerA, ctx.world.locationA, { ...bertIn("2026-09"), status: "afgemeld" });
    if (res.status !== 303) throw new Error(`record: ${res.status}`);
    await submit(providerA, id);
    return id;
  });

  /** The gemeente approves it; then the second correction: Bert was there after all. */
  const secondCorrection = once(async () => {
    const first = await firstCorrection();
    await acceptRest(gemeente, first);
    const id = await openCorrection(providerA, first, "Bert was er toch: de afmelding stond bij de verkeerde dag.");
    const res = await record(providerA, ctx.world.locationA, { ...bertIn("2026-09"), status: "aanwezig" });
    if (res.status !== 303) throw new Error(`record: ${res.status}`);
    await submit(providerA, id);
    return { first, id };
  });

  it("a month still waiting for its answer cannot be corrected (422, iWmo IV085)", async () => {
    const { october } = await declared();
    const res = await postForm(providerA, `/declaraties/${october}/correctie`, { reason: "Toch iets anders" }, `/declaraties/${october}`);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain("nog niet beoordeeld");
  });

  it("a correction needs a reason (422, kept on the form) and the provider itself (403, 404); nothing unlocks", async () => {
    const { september } = await declared();
    const before = await ctx.db("declarations").count({ n: "*" }).first();
    const res = await postForm(providerA, `/declaraties/${september}/correctie`, { reason: "   " }, `/declaraties/${september}`);
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('id="f-reason-error"');
    expect((await postForm(gemeente, `/declaraties/${september}/correctie`, { reason: "x" })).status).to.equal(403);
    expect((await postForm(providerB, `/declaraties/${september}/correctie`, { reason: "x" })).status).to.equal(404);
    expect(await ctx.db("declarations").count({ n: "*" }).first()).to.deep.equal(before);
    const locked = await record(providerA, ctx.world.locationA, { ...bertIn("2026-09"), status: "ziek" });
    expect(locked.status).to.equal(422);
  });

  it("opening a correction unlocks that month for this provider and purchaser only, audited with the reason", async () => {
    const { september, wlz } = await declared();
    const id = await openCorrection(providerA, september, "Controle van de maand");
    try {
      const audit = await ctx.db("audit_log").where({ entity: "declaration", entity_id: id, action: "open_correction" }).first();
      expect(JSON.parse(audit.details)).to.include({ corrects: september, month: "2026-09", reason: "Controle van de maand" });
      const page = await providerA.get(`/declaraties/${id}`);
      expect(page.text).to.contain("De aanwezigheid van september 2026 is ontgrendeld.");
      // Bert (the gemeente's) in September: open. Dirk (the zorgkantoor's) in September, and
      // Bert in October: still locked.
      const bert = bertIn("2026-09");
      expect((await record(providerA, ctx.world.locationA, { ...bert, status: "ziek" })).status).to.equal(303);
      expect((await record(providerA, ctx.world.locationA, { ...bert, status: "aanwezig" })).status).to.equal(303);
      const dirkLocked = await record(providerA, ctx.world.locationA, { client_id: dirk, date: "2026-09-10", dagdeel: "ochtend", status: "ziek" });
      expect(dirkLocked.status).to.equal(422);
      expect((await record(providerA, ctx.world.locationA, { ...bertIn("2026-10"), status: "ziek" })).status).to.equal(422);
      expect((await declarationRow(ctx.db, wlz)).status).to.equal("ingediend");
      // One open correction at a time.
      const second = await postForm(providerA, `/declaraties/${september}/correctie`, { reason: "Nog een" }, `/declaraties/${september}`);
      expect(second.status).to.equal(422);
      expect(second.text).to.contain(`DGD${String(id).padStart(6, "0")}`);
    } finally {
      // Cancelling locks the month again, and is audited.
      expect((await postForm(providerA, `/declaraties/${id}/verwijderen`, {}, `/declaraties/${id}`)).status).to.equal(303);
    }
    expect(await ctx.db("audit_log").where({ entity: "declaration", entity_id: id, action: "cancel_correction" }).first()).to.not.equal(undefined);
    expect((await record(providerA, ctx.world.locationA, { ...bertIn("2026-09"), status: "ziek" })).status).to.equal(422);
  });

  it("submitting with nothing changed is refused (422): there is nothing to correct", async () => {
    const { id } = await secondCorrection();
    if ((await declarationRow(ctx.db, id)).status === "ingediend") await acceptRest(gemeente, id);
    const open = await openCorrection(providerA, id, "Nog eens nakijken");
    try {
      const res = await postForm(providerA, `/declaraties/${open}/indienen`, {}, `/declaraties/${open}`);
      expect(res.status).to.equal(422);
      expect(res.text).to.contain("niets te corrigeren");
    } finally {
      await postForm(providerA, `/declaraties/${open}/verwijderen`, {}, `/declaraties/${open}`);
    }
  });

  it("the correction goes in the current period (October), crediting the changed prestatie exactly as declared and debiting it anew", async () => {
    const { september } = await declared();
    const id = await firstCorrection();
    const d = await declarationRow(ctx.db, id);
    expect(d).to.include({ corrects_declaration_id: september, month: "2026-09", period: "2026-10" });
    expect(d.status).to.not.equal("concept");
    const original = bertLine(await linesOf(ctx.db, september), cw.TARIFF_EARLY);
    const lines = await linesOf(ctx.db, id);
    expect(lines).to.have.length(2);
    const credit = lines.find((l) => l.debit_credit === "C")!;
    const debit = lines.find((l) => l.debit_credit === "D")!;
    for (const k of ["client_id", "allocation_id", "product_id", "units", "tariff_cents", "period_from", "period_until"] as const) expect(credit[k], k).to.equal(original[k]);
    expect(Number(credit.amount_cents)).to.equal(Number(original.amount_cents));
    expect(debit).to.include({ client_id: cw.clients.bert, units: original.units - 1, tariff_cents: cw.TARIFF_EARLY });
    expect(Number(d.total_cents)).to.equal(-cw.TARIFF_EARLY);

    const xml = (await providerA.get(`/declaraties/${id}/wmo323.xml`)).text;
    expect((await validateIwmo("WMO323", xml)).problems).to.deep.equal([]);
    const msg = readWmo323(xml);
    expect([msg.periodeBegin, msg.periodeEinde]).to.deep.equal(["2026-10-01", "2026-10-31"]);
    const c = msg.prestaties.find((p) => p.debetCredit === "C")!;
    expect(c).to.include({ referentieNummer: reference(credit.id), vorigReferentieNummer: reference(original.id), begindatum: "2026-09-01", einddatum: "2026-09-30", geleverdVolume: original.units });
    const dPrestatie = msg.prestaties.find((p) => p.debetCredit === "D")!;
    expect(dPrestatie).to.include({ referentieNummer: reference(debit.id), vorigReferentieNummer: null, begindatum: "2026-09-01" });
    expect(msg.totaalIngediend).to.deep.equal({ bedrag: cw.TARIFF_EARLY, debetCredit: "C" });
    // Submitted: September is locked again.
    expect((await record(providerA, ctx.world.locationA, { ...bertIn("2026-09"), status: "ziek" })).status).to.equal(422);
    const audit = await ctx.db("audit_log").where({ entity: "declaration", entity_id: id, action: "submit" }).first();
    expect(JSON.parse(audit.details)).to.include({ period: "2026-10", correction_of: september });
  });

  it("a second correction of the same month works the same way, crediting the first correction's debit", async () => {
    const { first, id } = await secondCorrection();
    const firstDebit = (await linesOf(ctx.db, first)).find((l) => l.debit_credit === "D")!;
    const d = await declarationRow(ctx.db, id);
    expect(d).to.include({ month: "2026-09", period: "2026-10" });
    const lines = await linesOf(ctx.db, id);
    expect(lines.map((l) => l.debit_credit).sort()).to.deep.equal(["C", "D"]);
    const credit = lines.find((l) => l.debit_credit === "C")!;
    expect(credit).to.include({ units: firstDebit.units, tariff_cents: firstDebit.tariff_cents, period_from: firstDebit.period_from });
    expect(lines.find((l) => l.debit_credit === "D")!.units).to.equal(firstDebit.units + 1);
    expect(Number(d.total_cents)).to.equal(cw.TARIFF_EARLY);
    const msg = readWmo323((await providerA.get(`/declaraties/${id}/wmo323.xml`)).text);
    expect(msg.prestaties.find((p) => p.debetCredit === "C")!.vorigReferentieNummer).to.equal(reference(firstDebit.id));
  });

  it("a refused prestatie is fixed and declared again by a correction: a new debit, no credit", async () => {
    const { october } = await declared();
    const refused = bertLine(await linesOf(ctx.db, october), cw.TARIFF_LATE);
    await refuseLine(gemeente, october, refused.id, "9321", "Meer dan toegewezen");
    await acceptRest(gemeente, october);
    expect((await declarationRow(ctx.db, october)).status).to.equal("geaccepteerd");
    const id = await openCorrection(providerA, october, "Toewijzing is verhoogd; opnieuw declareren");
    const lines = await linesOf(ctx.db, id);
    expect(lines).to.have.length(1);
    expect(lines[0]).to.include({ debit_credit: "D", client_id: cw.clients.bert, units: refused.units, tariff_cents: refused.tariff_cents });
    await submit(providerA, id);
    const d = await declarationRow(ctx.db, id);
    expect(d).to.include({ status: "ingediend", period: "2026-10" });
    expect(Number(d.total_cents)).to.equal(Number(refused.amount_cents));
    expect((await gemeente.get(`/declaraties/${id}`)).status).to.equal(200);
    expect((await zorgkantoor.get(`/declaraties/${id}`)).status).to.equal(404);
  });
});
