import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { addAllocation, addClient, addProducts, BSN } from "../support/clients-fixtures";

// The admin's products page: the codes a WMO301 is matched on.

describe("HTTP: products (admin)", () => {
  let ctx: TestContext;
  let admin: Agent;
  let products: Awaited<ReturnType<typeof addProducts>>;

  const form = (overrides: Record<string, string> = {}) => ({
    code: "01A01",
    name: "Begeleiding individueel",
    unit: "uur",
    iwmo_category: "01",
    iwmo_code: "01A01",
    iwmo_unit: "04",
    wlz_code: "",
    active: "1",
    ...overrides,
  });
  const count = async (table: string) => Number(((await ctx.db(table).count({ n: "*" })) as { n: number | string }[])[0].n);

  before(async () => {
    ctx = await startTestApp();
    products = await addProducts(ctx.db);
    const anna = await addClient(ctx.db, { first_name: "Anna", last_name: "Peeters", bsn: BSN.anna });
    await addAllocation(ctx.db, { client_id: anna, purchaser_id: ctx.world.gemeente, provider_id: ctx.world.providerA, product_id: products.wmo, reference: "104001" });
    admin = await loginAs(ctx.app, ctx.world.users.admin.email);
  });
  after(async () => ctx.close());

  it("lists every product with its iWmo and Wlz codes and how many allocations use it", async () => {
    const res = await admin.get("/beheer/producten");
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("4 producten");
    expect(res.text).to.contain("categorie 07, product 07A01");
    expect(res.text).to.contain("dagdeel (4 uur)");
    expect(res.text).to.contain("H811");
    expect(res.text).to.contain("niet actief"); // 07A99
    expect(res.text).to.match(/07A01<\/a><\/th>[\s\S]*?<td class="num">1<\/td>/);
    expect(res.text).to.contain('href="/beheer/producten"'); // in the admin's navigation
  });

  it("refuses every other role (403), reading and writing nothing", async () => {
    const before = await count("products");
    for (const key of ["coordinator", "providerA", "purchaser"] as const) {
      const agent = await loginAs(ctx.app, ctx.world.users[key].email);
      expect((await agent.get("/beheer/producten")).status, key).to.equal(403);
      expect((await agent.get("/beheer/producten/nieuw")).status, key).to.equal(403);
      expect((await agent.get(`/beheer/producten/${products.wmo}`)).status, key).to.equal(403);
      expect((await postForm(agent, "/beheer/producten", form({ code: `X-${key}` }))).status, key).to.equal(403);
      expect((await postForm(agent, `/beheer/producten/${products.wmo}`, form({ code: "07A01", name: "Gekaapt" }))).status, key).to.equal(403);
      const home = await agent.get("/");
      expect(home.text, key).to.not.contain('href="/beheer/producten"');
    }
    expect(await count("products")).to.equal(before);
    expect((await ctx.db("products").where({ id: products.wmo }).first()).name).to.equal("Dagbesteding basis");
  });

  it("opens the new-product form prefilled with an unknown WMO301 code", async () => {
    const res = await admin.get("/beheer/producten/nieuw?iwmo_category=01&iwmo_code=01A01&iwmo_unit=01");
    expect(res.status).to.equal(200);
    expect(res.text).to.match(/<option value="01" selected>01<\/option>/);
    expect(res.text).to.contain('name="iwmo_code" type="text" value="01A01"');
    expect(res.text).to.contain('name="code" type="text" value="01A01"');
    // Nonsense in the link is ignored, not shown.
    const odd = await admin.get("/beheer/producten/nieuw?iwmo_category=99&iwmo_code=%3Cscript%3E");
    expect(odd.status).to.equal(200);
    expect(odd.text).to.not.contain("<script>");
  });

  it("creates a product with its iWmo codes, and audits it", async () => {
    const res = await postForm(admin, "/beheer/producten", form());
    expect(res.status).to.equal(303);
    const row = await ctx.db("products").where({ code: "01A01" }).first();
    expect(row).to.include({ name: "Begeleiding individueel", unit: "uur", iwmo_category: "01", iwmo_code: "01A01", iwmo_unit: "04", wlz_code: null });
    expect(Boolean(row.active)).to.equal(true);
    const audit = await ctx.db("audit_log").where({ entity: "product", entity_id: row.id, action: "create" }).first();
    expect(audit.user_id).to.equal(ctx.world.users.admin.id);
    expect(JSON.parse(audit.details)).to.include({ iwmo_code: "01A01" });
  });

  it("answers bad input with 422, the message next to the field and the input kept, saving nothing", async () => {
    const before = await count("products");
    const cases: [Record<string, string>, string, string][] = [
      [{ code: "", name: "" }, "f-code-error", "Vul dit veld in."],
      [{ code: "07a01" }, "f-code-error", "Er is al een product met deze code."],
      [{ code: "NEW1", iwmo_code: "" }, "f-iwmo_code-error", "allebei"],
      [{ code: "NEW2", iwmo_category: "07", iwmo_code: "07A02" + "X" }, "f-iwmo_code-error", "Dit is te lang."],
      [{ code: "NEW3", iwmo_category: "07", iwmo_code: "07A01" }, "f-iwmo_code-error", "horen al bij een ander product"],
      [{ code: "NEW4", iwmo_category: "07", iwmo_code: "07Z01", unit: "dagdeel", iwmo_unit: "04" }, "f-iwmo_unit-error", "past niet bij de eenheid"],
      [{ code: "NEW5", iwmo_category: "", iwmo_code: "", iwmo_unit: "16" }, "f-iwmo_unit-error", "hoort bij een product met een iWmo-productcode"],
      [{ code: "NEW6", unit: "kilo" }, "f-unit-error", "Kies een van de mogelijkheden."],
      [{ code: "NEW7", iwmo_category: "42", iwmo_code: "42A01" }, "f-iwmo_category-error", "Kies een van de mogelijkheden."],
    ];
    for (const [overrides, field, message] of cases) {
      const res = await postForm(admin, "/beheer/producten", form(overrides));
      expect(res.status, JSON.stringify(overrides)).to.equal(422);
      expect(res.text, JSON.stringify(overrides)).to.contain(`id="${field}"`);
      expect(res.text, JSON.stringify(overrides)).to.contain(message);
      if (overrides.code) expect(res.text).to.contain(`value="${overrides.code}"`);
    }
    expect(await count("products")).to.equal(before);
  });

  it("changes a product, audits before and after, and keeps the unit of a product in use", async () => {
    const res = await postForm(admin, `/beheer/producten/${products.wmo}`, form({ code: "07A01", name: "Dagbesteding basis (regio)", unit: "dagdeel", iwmo_category: "07", iwmo_code: "07A01", iwmo_unit: "16" }));
    expect(res.status).to.equal(303);
    expect((await ctx.db("products").where({ id: products.wmo }).first()).name).to.equal("Dagbesteding basis (regio)");
    const audit = await ctx.db("audit_log").where({ entity: "product", entity_id: products.wmo, action: "update" }).first();
    expect(JSON.parse(audit.details).before).to.deep.equal({ name: "Dagbesteding basis" });

    const unit = await postForm(admin, `/beheer/producten/${products.wmo}`, form({ code: "07A01", name: "x", unit: "uur", iwmo_category: "07", iwmo_code: "07A01", iwmo_unit: "04" }));
    expect(unit.status).to.equal(422);
    expect(unit.text).to.contain("Er zijn toewijzingen met dit product");
    expect((await ctx.db("products").where({ id: products.wmo }).first()).unit).to.equal("dagdeel");
  });

  it("deactivates a product by unticking it", async () => {
    const res = await postForm(admin, `/beheer/producten/${products.wlz}`, { code: "H811", name: "Dagactiviteit (Wlz)", unit: "dagdeel", iwmo_category: "", iwmo_code: "", iwmo_unit: "", wlz_code: "H811" });
    expect(res.status).to.equal(303);
    expect(Boolean((await ctx.db("products").where({ id: products.wlz }).first()).active)).to.equal(false);
  });

  it("answers unknown and malformed ids with 404", async () => {
    expect((await admin.get("/beheer/producten/99999")).status).to.equal(404);
    expect((await admin.get("/beheer/producten/abc")).status).to.equal(404);
    expect((await postForm(admin, "/beheer/producten/99999", form({ code: "ZZZ" }))).status).to.equal(404);
  });
});
