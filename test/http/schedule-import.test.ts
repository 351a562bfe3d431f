import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { importIdOf, previewRows, upload } from "../support/imports";
import { countedAsAtStart, dirtyVersion } from "../support/use-dirty";
import { makeAllocation, makeClient, planningWorld, type PlanningWorld } from "../support/planning-fixtures";

// Weekly schedules from a spreadsheet (coordinators, Monday 2026-11-23): every ready row goes
// through bookSchedule, the schedule form's own service, so capacity, double booking, the
// allocation's volume and contract cover refuse rows exactly as they refuse the form, and each
// refusal is listed with its row. One place per dagdeel at each location.

describe("HTTP: importing weekly schedules (/importeren)", () => {
  let ctx: TestContext;
  let pw: PlanningWorld;
  let coordinator: Agent;
  let anna: number;

  before(async () => {
    ctx = await startTestApp();
    pw = await planningWorld(ctx.db, ctx.world, 1);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    const w = ctx.world;
    anna = await makeClient(ctx.db, "Anna", "Aarts", "999990019");
    const bert = await makeClient(ctx.db, "Bert", "Bos");
    await ctx.db("clients").where({ id: bert }).update({ birth_date: "1945-02-03" });
    const cor = await makeClient(ctx.db, "Cor", "Claes", "999990032");
    await makeClient(ctx.db, "Dirk", "Dekker", "999990044");
    for (const client of [anna, bert, cor]) await makeAllocation(ctx.db, { client, purchaser: w.gemeente, provider: w.providerA, product: pw.basis, volume: 2 });
  });
  after(async () => ctx.close());

  const HEADER = "BSN;Voornaam;Achternaam;Geboortedatum;Locatie;Vanaf;Financiering;ma ochtend;ma middag;di ochtend;di middag;wo ochtend;wo middag;do ochtend;do middag;vr ochtend;vr middag";
  const FILE = [
    HEADER,
    "999990019;;;;Boerderij A;30-11-2026;;x;;;;;;;;;",
    ";Bert;Bos;3-2-1945;Boerderij A;30-11-2026;;x;;;;;;;;;",
    "999990032;;;;Nergens;30-11-2026;;x;;;;;;;;;",
    "999990019;;;;Dorpshuis B;30-11-2026;pgb;x;;;;;;;;;",
    "999990044;;;;Boerderij A;30-11-2026;;;;;x;;;;;;",
    "999990032;;;;Boerderij A;30-11-2026;toewijzing;;;x;;x;;x;;;",
  ].join("\n");

  it("previews each row: ready, or the reason it cannot be planned", async () => {
    const id = importIdOf((await upload(coordinator, "roosters.csv", FILE, "schedules")).headers.location);
    const rows = previewRows((await coordinator.get(`/importeren/${id}`)).text);
    expect(rows.map((r) => `${r.line} ${r.status}`)).to.deep.equal(["2 ready", "3 ready", "4 error", "5 ready", "6 error", "7 ready"]);
    expect(rows[2].text).to.contain("Deze locatie is niet gevonden");
    expect(rows[4].text).to.contain("vul de financiering in");
    expect(await ctx.db("schedules").count({ n: "*" }).first().then((r) => Number(r!.n)), "a preview books nothing").to.equal(0);
  });

  it("books the ready rows through the schedule form's rules and lists every refusal per row", async () => {
    const id = importIdOf((await upload(coordinator, "roosters.csv", FILE, "schedules")).headers.location);
    await countedAsAtStart(ctx.db);
    const marked = await dirtyVersion(ctx.db, anna);
    const applied = await postForm(coordinator, `/importeren/${id}/toepassen`, {}, `/importeren/${id}`);
    expect(applied.status).to.equal(303);

    const schedules = await ctx.db("schedules").select("client_id", "location_id", "funding", "allocation_id", "created_by");
    expect(schedules).to.have.length(1);
    expect(schedules[0]).to.include({ client_id: anna, location_id: ctx.world.locationA, funding: "toewijzing", created_by: ctx.world.users.coordinator.id });
    const created = await ctx.db("audit_log").where({ entity: "schedule", action: "create" });
    expect(created).to.have.length(1);
    expect(await dirtyVersion(ctx.db, anna), "the use tallies' triggers marked Anna").to.be.greaterThan(marked);

    const audit = await ctx.db("audit_log").where({ entity: "import", action: "import_schedules", entity_id: id }).first();
    expect(JSON.parse(audit.details)).to.deep.equal({ file_name: "roosters.csv", rows: 6, booked: 1, refused: 3, errors: 2 });

    const page = await coordinator.get(`/importeren/${id}`);
    const rows = previewRows(page.text);
    expect(rows.map((r) => `${r.line} ${r.status}`)).to.deep.equal(["2 booked", "3 refused", "4 error", "5 refused", "6 error", "7 refused"]);
    expect(rows[1].text, "Bert: Anna took the one place").to.contain("Geen plaats meer");
    expect(rows[3].text, "Anna is at A then").to.contain("al ingeroosterd");
    expect(rows[5].text, "three dagdelen on an allocation of two").to.contain("Meer dan de toewijzing van 2 dagdelen per week");
    expect(page.text).to.contain(`/roosters/`);
  });

  it("the template is the schedule grid; providers may not import schedules", async () => {
    const csv = await coordinator.get("/importeren/sjabloon/roosters.csv");
    expect(csv.status).to.equal(200);
    expect(csv.text).to.contain("Ma ochtend;Ma middag");
    const provider = await loginAs(ctx.app, ctx.world.users.providerA.email);
    const id = importIdOf((await upload(coordinator, "r.csv", FILE, "schedules")).headers.location);
    expect((await provider.get(`/importeren/${id}`)).status).to.equal(404);
  });
});
