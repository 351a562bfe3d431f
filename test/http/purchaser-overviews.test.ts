import { expect } from "chai";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { buildContractsWorld, type ContractsWorld } from "../support/contracts-fixtures";
import { withNameKeys } from "../../src/db/name-keys";

// The purchaser compares like with like (issue 15, point 9): the tariffs valid on one chosen
// date, and spending per village by the client's village or by the facility's. The clock is
// Monday 23 November 2026. Provider A's 2026 contract with the gemeente has dagbesteding basis
// at € 51,50 until 14 October and € 53,10 from 15 October; here it also gets a signed 2027
// contract at € 55,00 and a concept for 2027 at € 99,00 with another provider.

const euro = (cents: number) => `€ ${Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".")},${String(cents % 100).padStart(2, "0")}`;
const AT = "2026-11-01T08:00:00.000Z";

describe("HTTP: the purchaser's tariff comparison and spending per village", () => {
  let ctx: TestContext;
  let cw: ContractsWorld;
  let gemeente: Agent;
  let baarlo: number;

  before(async () => {
    ctx = await startTestApp();
    cw = await buildContractsWorld(ctx.db, ctx.world);
    gemeente = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    const { world, db } = ctx;
    const contract = async (row: Record<string, unknown>, tariff: number) => {
      const [c] = await db("contracts").insert({ purchaser_id: world.gemeente, kind: "inkoop", valid_from: "2027-01-01", valid_until: "2027-12-31", created_at: AT, updated_at: AT, ...row }).returning("id");
      const id = Number(typeof c === "object" ? c.id : c);
      await db("contract_lines").insert({ contract_id: id, product_id: cw.products.basis, tariff_cents: tariff, valid_from: "2027-01-01", valid_until: "2027-12-31", created_at: AT, updated_at: AT });
    };
    await contract({ provider_id: world.providerA, reference: "PM-2027-A", status: "actief" }, 5500);
    await contract({ provider_id: world.providerB, reference: "PM-2027-B", status: "concept" }, 9900);
    // Bert moves to Baarlo; location A stays in Helden.
    const [v] = await db("villages").insert(withNameKeys("villages", { name: "Baarlo", municipality: "Peel en Maas", gemeentecode: "1894", province: "LI", created_at: AT, updated_at: AT })).returning("id");
    baarlo = Number(typeof v === "object" ? v.id : v);
    await db("clients").where({ id: cw.clients.bert }).update({ village_id: baarlo });
  });
  after(async () => ctx.close());

  describe("tariffs side by side", () => {
    const tariffTable = (html: string) => html.slice(html.indexOf("<table"), html.indexOf("</table>"));

    it("today (the default): this year's contract with the tariff after the index, not next year's", async () => {
      const res = await gemeente.get("/contracten/tarieven");
      expect(res.status).to.equal(200);
      const table = tariffTable(res.text);
      expect(table).to.contain("geldig op 23-11-2026");
      expect(table).to.contain("€ 53,10");
      expect(table).to.not.contain("€ 51,50");
      expect(table).to.not.contain("€ 55,00");
      expect(table).to.not.contain("PM-2027-A");
      expect(res.text).to.contain('value="2026-11-23"');
    });

    it("on a chosen date: next year's signed contract only, never a concept; before the index the older tariff", async () => {
      const next = tariffTable((await gemeente.get("/contracten/tarieven?datum=2027-01-04")).text);
      expect(next).to.contain("PM-2027-A");
      expect(next).to.contain("€ 55,00");
      expect(next).to.not.contain("€ 53,10");
      expect(next).to.not.contain("€ 99,00"); // a concept is no agreement yet
      expect(next).to.not.contain("Dorpsdagvoorziening B");
      const summer = tariffTable((await gemeente.get("/contracten/tarieven?datum=2026-06-01")).text);
      expect(summer).to.contain("€ 51,50");
      expect(summer).to.not.contain("€ 53,10");
      const none = await gemeente.get("/contracten/tarieven?datum=2030-01-01");
      expect(none.status).to.equal(200);
      expect(none.text).to.contain("Op 1-1-2030 loopt geen getekend inkoopcontract met tarieven.");
    });

    it("a bad date is 422 with the message at the field and the input kept", async () => {
      const res = await gemeente.get("/contracten/tarieven?datum=2027-02-30");
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-datum-error"');
      expect(res.text).to.contain('value="2027-02-30"');
    });
  });

  describe("spending per village", () => {
    const present = () => cw.attendance.filter((a) => a.status === "aanwezig" && a.location_id === ctx.world.locationA);
    const price = (date: string) => (date < "2026-10-15" ? cw.TARIFF_EARLY : cw.TARIFF_LATE);
    const rowOf = (html: string, village: string) => {
      const start = html.indexOf(`<th scope="row">${village}</th>`);
      return start < 0 ? "" : html.slice(start, html.indexOf("</tr>", start));
    };

    it("by the client's village by default: Anna in Helden, Bert in Baarlo", async () => {
      const anna = present().filter((a) => a.client_id === cw.clients.anna);
      const bert = present().filter((a) => a.client_id === cw.clients.bert);
      const annaDays = new Set(anna.map((a) => a.date)).size;
      const annaCents = anna.reduce((s, a) => s + price(a.date), 0) + 2 * annaDays * cw.TARIFF_RIDE;
      const bertCents = bert.reduce((s, a) => s + price(a.date), 0);
      const res = await gemeente.get("/contracten/dorpen?van=2026-10-01&tot=2026-10-31");
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Kern van de cliënt");
      expect(res.text).to.match(/<input type="radio" name="per" value="client" checked>/);
      expect(rowOf(res.text, "Helden")).to.contain(euro(annaCents));
      expect(rowOf(res.text, "Baarlo")).to.contain(euro(bertCents));
      expect(rowOf(res.text, "Baarlo")).to.contain(`<td class="num">${bert.length}</td>`);
    });

    it("by the facility's village: everything at location A counts in Helden", async () => {
      const all = present();
      const annaDays = new Set(all.filter((a) => a.client_id === cw.clients.anna).map((a) => a.date)).size;
      const cents = all.reduce((s, a) => s + price(a.date), 0) + 2 * annaDays * cw.TARIFF_RIDE;
      const res = await gemeente.get("/contracten/dorpen?van=2026-10-01&tot=2026-10-31&per=locatie");
      expect(res.status).to.equal(200);
      expect(res.text).to.contain("Kern van de locatie");
      expect(res.text).to.match(/<input type="radio" name="per" value="locatie" checked>/);
      expect(rowOf(res.text, "Helden")).to.contain(euro(cents));
      expect(rowOf(res.text, "Baarlo")).to.equal("");
    });

    it("an unknown grouping is 422 at its field; the overviews stay the purchaser's (403 for others)", async () => {
      const res = await gemeente.get("/contracten/dorpen?van=2026-10-01&tot=2026-10-31&per=provincie");
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-per-error"');
      const provider = await loginAs(ctx.app, ctx.world.users.providerA.email);
      expect((await provider.get("/contracten/dorpen?per=locatie")).status).to.equal(403);
      expect((await provider.get("/contracten/tarieven?datum=2027-01-04")).status).to.equal(403);
      const coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
      expect((await coordinator.get("/contracten/tarieven")).status).to.equal(403);
    });

    it("another purchaser sees only its own spending", async () => {
      const zorgkantoor = await loginAs(ctx.app, ctx.world.users.zorgkantoor.email);
      const res = await zorgkantoor.get("/contracten/dorpen?van=2026-10-01&tot=2026-10-31");
      expect(res.status).to.equal(200);
      expect(rowOf(res.text, "Baarlo")).to.equal("");
      const theirs = await zorgkantoor.get("/contracten/tarieven?datum=2027-01-04");
      expect(theirs.text).to.not.contain("PM-2027-A");
    });
  });
});
