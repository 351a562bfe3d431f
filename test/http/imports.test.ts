import { expect } from "chai";
import ExcelJS from "exceljs";
import { Scope } from "../../src/auth/scope";
import { applyClientImport } from "../../src/imports/client-import";
import { ownerKey } from "../../src/imports/routes";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { importIdOf, previewRows, upload, xlsxOf } from "../support/imports";
import { withNameKeys } from "../../src/db/name-keys";

// The client import over HTTP on Monday 2026-11-23: CSV (semicolon or comma, with or without a
// BOM, Dutch or ISO dates) and XLSX; the preview per row (new, matched by BSN, matched by name
// and birth date, errors with their reason); the mapping remembered per organisation; applying
// in one transaction with its audit; a provider's own clients; roles, scope and bad files.

const AT = "2026-11-01T08:00:00.000Z";

describe("HTTP: importing clients from a spreadsheet (/importeren)", () => {
  let ctx: TestContext;
  let coordinator: Agent;
  let providerA: Agent;
  let known: number;

  before(async () => {
    ctx = await startTestApp();
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    const insert = async (row: Record<string, unknown>) => {
      const [r] = await ctx.db("clients").insert(withNameKeys("clients", { needs_transport: false, wheelchair: false, created_at: AT, updated_at: AT, ...row })).returning("id");
      return typeof r === "object" ? r.id : r;
    };
    known = await insert({ first_name: "Truus", last_name: "Janssen", bsn: "999990019", birth_date: "1941-05-06", village_id: ctx.world.village });
    await insert({ first_name: "Sjef", last_name: "van der Linden", bsn: null, birth_date: "1939-12-01", village_id: ctx.world.village });
  });
  after(async () => ctx.close());

  const HEADER = "Voornaam;Tussenvoegsel;Achternaam;BSN;Geboortedatum;Straat;Huisnummer;Postcode;Kern;Telefoon;Vervoer;Rolstoel;Notities";
  const CSV = [
    HEADER,
    "Mien;;Hendrikx;999990032;3-4-1944;Kerkstraat;12;5988 AB;Helden;077-1234567;ja;nee;Houdt van tuinieren",
    "Truus;;Janssen;999990019;6-5-1941;Dorpsstraat;4;5988 CC;Helden;;x;;",
    "Sjef;van der;Linden;;1-12-1939;;;;helden;;;;",
    "Piet;;Fout;123456789;1-1-1950;;;;Helden;;;;",
    "Door;;Onbekend;;2-2-1950;;;;Atlantis;;;;",
    "Bets;;Datum;;31-2-1950;;;;Helden;;;;",
  ].join("\r\n");

  it("a semicolon CSV with a BOM and Dutch dates: each row new, matched or in error, the reason next to it", async () => {
    const res = await upload(coordinator, "clienten.csv", `\uFEFF${CSV}`);
    expect(res.status).to.equal(303);
    const id = importIdOf(res.headers.location);
    const page = await coordinator.get(`/importeren/${id}`);
    expect(page.status).to.equal(200);
    const rows = previewRows(page.text);
    expect(rows.map((r) => `${r.line} ${r.status}`)).to.deep.equal(["2 new", "3 matched", "4 unchanged", "5 error", "6 error", "7 error"]);
    expect(rows[1].text).to.contain("Straat"); // Truus changes address
    expect(rows[2].text).to.contain("naam en geboortedatum");
    expect(rows[3].text).to.contain("elfproef");
    expect(rows[4].text).to.contain("Deze kern kent dagdeel niet");
    expect(rows[5].text).to.contain("Deze datum bestaat niet");
    expect(page.text).to.not.contain("999990032");
    expect(page.text).to.contain("******032");
  });

  it("applies every valid row in one go, audited with the file name and the counts", async () => {
    const res = await upload(coordinator, "clienten.csv", `\uFEFF${CSV}`);
    const id = importIdOf(res.headers.location);
    const applied = await postForm(coordinator, `/importeren/${id}/toepassen`, {}, `/importeren/${id}`);
    expect(applied.status).to.equal(303);
    const mien = await ctx.db("clients").where({ bsn: "999990032" }).first();
    expect(mien).to.include({ first_name: "Mien", last_name: "Hendrikx", birth_date: "1944-04-03", street: "Kerkstraat 12", postcode: "5988 AB", phone: "077-1234567", village_id: ctx.world.village, notes: "Houdt van tuinieren" });
    expect(Boolean(mien.needs_transport)).to.equal(true);
    expect(mien.registered_by_provider_id).to.equal(null);
    const truus = await ctx.db("clients").where({ id: known }).first();
    expect(truus.street).to.equal("Dorpsstraat 4");
    expect(Boolean(truus.needs_transport)).to.equal(true);
    expect(truus.first_name).to.equal("Truus");
    expect(await ctx.db("clients").where({ last_name: "Fout" }).first()).to.equal(undefined);
    expect(await ctx.db("clients").where({ last_name: "Onbekend" }).first()).to.equal(undefined);
    const audit = await ctx.db("audit_log").where({ entity: "import", action: "import_clients", entity_id: id }).first();
    expect(audit.user_id).to.equal(ctx.world.users.coordinator.id);
    expect(JSON.parse(audit.details)).to.deep.equal({ file_name: "clienten.csv", rows: 6, created: 1, updated: 1, unchanged: 1, errors: 3 });
    const row = await ctx.db("imports").where({ id }).first();
    expect(row.status).to.equal("applied");
    expect(row.table_json, "the file's personal data is not kept").to.equal(null);
    const result = await coordinator.get(`/importeren/${id}`);
    expect(result.text).to.contain("Nieuwe cliënten: 1");
    expect(result.text).to.contain("Deze datum bestaat niet");
    const again = await postForm(coordinator, `/importeren/${id}/toepassen`, {}, `/importeren/${id}`);
    expect(again.status).to.equal(422);
    expect(await ctx.db("clients").where({ bsn: "999990032" }).count({ n: "*" }).first().then((r) => Number(r!.n))).to.equal(1);
  });

  it("applying twice at once (on PostgreSQL two connections): the file is imported once", async () => {
    // Clients without a BSN: no unique index would stop a second copy of them, only the lock on the import.
    const csv = "Voornaam;Achternaam\nGerrit;Tweemaal\nHanna;Tweemaal\n";
    const id = importIdOf((await upload(coordinator, "dubbel.csv", csv)).headers.location);
    const actor = { userId: ctx.world.users.coordinator.id, name: "User coordinator", role: "coordinator" as const, organisationId: null };
    const scope = new Scope(ctx.db, actor);
    // Two open connections first, so the two applies really run side by side on PostgreSQL.
    if (ctx.db.client.config.client === "pg") await Promise.all([ctx.db.raw("select pg_sleep(0.2)"), ctx.db.raw("select pg_sleep(0.2)")]);
    const results = await Promise.allSettled([0, 1].map(() => applyClientImport(ctx.db, ctx.clock, actor, scope, ownerKey(actor), id)));
    expect(results.map((r) => r.status).sort()).to.deep.equal(["fulfilled", "rejected"]);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason.fields).to.deep.equal({ _form: "clientImport.errors.alreadyApplied" });
    expect(await ctx.db("clients").where({ last_name: "Tweemaal" }).count({ n: "*" }).first().then((r) => Number(r!.n))).to.equal(2);
    const second = await postForm(coordinator, `/importeren/${id}/toepassen`, {}, `/importeren/${id}`);
    expect(second.status, "a later click is told it was done").to.equal(422);
    expect(second.text).to.contain("al geïmporteerd");
  });

  it("a comma CSV without a BOM, with ISO dates and quoted fields, reads the same way", async () => {
    const csv = ['Voornaam,Achternaam,BSN,Geboortedatum,Notities', 'Grad,Peeters,999990044,1950-07-08,"Komt op maandag, soms dinsdag"'].join("\n");
    const id = importIdOf((await upload(coordinator, "export.csv", csv)).headers.location);
    const rows = previewRows((await coordinator.get(`/importeren/${id}`)).text);
    expect(rows.map((r) => r.status)).to.deep.equal(["new"]);
    await postForm(coordinator, `/importeren/${id}/toepassen`, {}, `/importeren/${id}`);
    const grad = await ctx.db("clients").where({ bsn: "999990044" }).first();
    expect(grad).to.include({ birth_date: "1950-07-08", notes: "Komt op maandag, soms dinsdag" });
  });

  it("an XLSX file: date cells, and a BSN that lost its leading zero in a numeric column", async () => {
    // 012345672 passes the 11-test; a numeric Excel column shows it as 12345672.
    const file = await xlsxOf([
      ["Achternaam", "Voornaam", "Geboortedatum", "BSN", "Kern"],
      ["Willems", "Jan", new Date(Date.UTC(1948, 0, 31)), 12345672, "Helden"],
    ]);
    const id = importIdOf((await upload(coordinator, "lijst.xlsx", file)).headers.location);
    const rows = previewRows((await coordinator.get(`/importeren/${id}`)).text);
    expect(rows.map((r) => r.status)).to.deep.equal(["new"]);
    await postForm(coordinator, `/importeren/${id}/toepassen`, {}, `/importeren/${id}`);
    expect(await ctx.db("clients").where({ bsn: "012345672" }).first()).to.include({ first_name: "Jan", last_name: "Willems", birth_date: "1948-01-31" });
  });

  it("the mapping: chosen once, remembered for the organisation by header, not for another organisation", async () => {
    const csv = "Roepnaam;Familie;Geb.\nKees;Smeets;1-1-1945\n";
    const id = importIdOf((await upload(coordinator, "a.csv", csv)).headers.location);
    const first = await coordinator.get(`/importeren/${id}`);
    expect(previewRows(first.text)[0].status, "Familie is not a known header").to.equal("error");
    const missing = await postForm(coordinator, `/importeren/${id}/koppeling`, { map_first_name: "0" }, `/importeren/${id}`);
    expect(missing.status).to.equal(422);
    expect(missing.text).to.contain('id="f-map_last_name-error"');
    const twice = await postForm(coordinator, `/importeren/${id}/koppeling`, { map_first_name: "0", map_last_name: "0" }, `/importeren/${id}`);
    expect(twice.status).to.equal(422);
    const saved = await postForm(coordinator, `/importeren/${id}/koppeling`, { map_first_name: "0", map_last_name: "1", map_birth_date: "2" }, `/importeren/${id}`);
    expect(saved.status).to.equal(303);
    expect(previewRows((await coordinator.get(`/importeren/${id}`)).text)[0].status).to.equal("new");
    // Next month's file has the columns in another order: the same mapping, by header.
    const next = importIdOf((await upload(coordinator, "b.csv", "Geb.;Familie;Roepnaam\n1-1-1945;Smeets;Kees\n")).headers.location);
    const page = await coordinator.get(`/importeren/${next}`);
    expect(page.text).to.match(/<select id="f-map_last_name"[^>]*>[\s\S]*?<option value="1" selected>B: Familie<\/option>/);
    expect(previewRows(page.text)[0].status).to.equal("new");
    const other = importIdOf((await upload(providerA, "b.csv", "Geb.;Familie;Roepnaam\n1-1-1945;Smeets;Kees\n")).headers.location);
    expect(previewRows((await providerA.get(`/importeren/${other}`)).text)[0].status, "provider A has its own mapping").to.equal("error");
  });

  it("a provider imports its own clients: they become its own; a BSN of a client it does not know is refused for that row", async () => {
    const csv = ["Voornaam;Achternaam;BSN;Geboortedatum", "Lies;Verstappen;999990056;4-4-1946", "Truus;Janssen;999990019;6-5-1941"].join("\n");
    const id = importIdOf((await upload(providerA, "eigen.csv", csv)).headers.location);
    const rows = previewRows((await providerA.get(`/importeren/${id}`)).text);
    expect(rows.map((r) => r.status)).to.deep.equal(["new", "error"]);
    expect(rows[1].text).to.contain("niet bij u bekend");
    await postForm(providerA, `/importeren/${id}/toepassen`, {}, `/importeren/${id}`);
    const lies = await ctx.db("clients").where({ bsn: "999990056" }).first();
    expect(lies.registered_by_provider_id).to.equal(ctx.world.providerA);
    expect((await providerA.get("/clienten?q=Verstappen")).text).to.contain(`/clienten/${lies.id}`);
    expect((await providerA.get(`/clienten/${lies.id}`)).status).to.equal(200);
    const providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
    expect((await providerB.get(`/clienten/${lies.id}`)).status).to.equal(404);
    expect((await providerB.get(`/importeren/${id}`)).status, "another user's import").to.equal(404);
  });

  it("a name without birth date or BSN that is already known is not guessed at", async () => {
    const id = importIdOf((await upload(coordinator, "c.csv", "Voornaam;Tussenvoegsel;Achternaam\nSjef;van der;Linden\n")).headers.location);
    const rows = previewRows((await coordinator.get(`/importeren/${id}`)).text);
    expect(rows[0].status).to.equal("error");
    expect(rows[0].text).to.contain("geboortedatum");
  });

  it("roles: purchasers and admins may not import (403); providers import no schedules (403)", async () => {
    const purchaser = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    expect((await purchaser.get("/importeren")).status).to.equal(403);
    const admin = await loginAs(ctx.app, ctx.world.users.admin.email);
    expect((await admin.get("/importeren/sjabloon/clienten.csv")).status).to.equal(403);
    expect((await providerA.get("/importeren/sjabloon/roosters.csv")).status).to.equal(403);
    expect((await upload(providerA, "r.csv", "Locatie;Vanaf\nX;1-1-2027\n", "schedules")).status).to.equal(403);
    expect((await providerA.get("/importeren")).text).to.not.contain('value="schedules"');
  });

  it("bad files are refused next to the file field (422), and the form needs its CSRF token", async () => {
    const cases: [string, string | Buffer, string][] = [
      ["brief.pdf", "%PDF-1.4", "geen .xlsx"],
      ["leeg.csv", "", "leeg"],
      ["kop.csv", "Voornaam;Achternaam\n", "alleen kolomnamen"],
      ["kapot.xlsx", Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), "kan niet gelezen"],
      ["groot.csv", `Voornaam;Achternaam\n${"a;b\n".repeat(600_000)}`, "groter dan 1 MB"],
    ];
    for (const [name, content, message] of cases) {
      const res = await upload(coordinator, name, content);
      expect(res.status, name).to.equal(422);
      expect(res.text, name).to.contain('id="f-file-error"');
      expect(res.text, name).to.contain(message);
    }
    const noFile = await postForm(coordinator, "/importeren", { kind: "clients" }, "/importeren");
    expect(noFile.status).to.equal(422);
    const noCsrf = await coordinator.post("/importeren").field("kind", "clients").attach("file", Buffer.from("Voornaam;Achternaam\nA;B\n"), "x.csv");
    expect(noCsrf.status).to.equal(403);
  });

  it("the templates: CSV and XLSX, whose headers map themselves", async () => {
    const csv = await coordinator.get("/importeren/sjabloon/clienten.csv");
    expect(csv.status).to.equal(200);
    expect(csv.headers["content-disposition"]).to.contain("dagdeel-clienten-sjabloon.csv");
    expect(csv.text.charCodeAt(0)).to.equal(0xfeff);
    const header = csv.text.slice(1).trim();
    expect(header.split(";")).to.include.members(["Voornaam", "Achternaam", "BSN", "Geboortedatum", "Kern"]);
    const id = importIdOf((await upload(coordinator, "sjabloon.csv", `${csv.text}Nel;;Gielen;;9-9-1949;;;;Helden;;;;\n`)).headers.location);
    expect(previewRows((await coordinator.get(`/importeren/${id}`)).text).map((r) => r.status)).to.deep.equal(["new"]);

    const xlsx = await coordinator.get("/importeren/sjabloon/clienten.xlsx").buffer(true).parse((res, cb) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => cb(null, Buffer.concat(chunks)));
    });
    expect(xlsx.status).to.equal(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.body as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets[0].getRow(1).getCell(1).value).to.equal("Voornaam");
    expect(workbook.worksheets).to.have.length(2);
  });
});
