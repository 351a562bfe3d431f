import { expect } from "chai";
import { postForm } from "../support/app";
import { attendMonth, declarationWorld, prepare, submit, type DeclarationWorld } from "../support/declaration-flow";

// The check before sending over HTTP: the provider sees, on a concept to the gemeente, which
// prestaties the gemeente would refuse, with the retourcode and what to do; the gemeente's own
// start-message rule is a setting it changes itself.

/** The rows of the check table: [code, text of the row]. */
function findings(html: string): [string, string][] {
  const section = html.split('id="check-title"')[1]?.split("</section>")[0] ?? "";
  return [...section.matchAll(/<tr class="finding-\w+">\s*<th scope="row">(\w+)[\s\S]*?<\/tr>/g)].map((m) => [m[1], m[0].replace(/<[^>]+>/g, " ").replace(/\s+/g, " ")]);
}

describe("HTTP: the check before sending", function () {
  this.timeout(120_000); // each part starts its own app and drives whole declarations over HTTP
  let w: DeclarationWorld;
  let october: number;
  before(async () => {
    w = await declarationWorld();
    october = await prepare(w.providerA, w.ctx.world.gemeente, "2026-10");
  });
  after(async () => w.ctx.close());

  it("shows the provider that a tariff change on 15 October cuts the prestaties inside the month (9387, 9388), with the fix", async () => {
    const page = await w.providerA.get(`/declaraties/${october}`);
    expect(page.text).to.contain("Controle vóór indienen: wat zou de gemeente afwijzen?");
    const rows = findings(page.text);
    expect(rows.map(([code]) => code)).to.include.members(["9387", "9388"]);
    const cut = rows.find(([code]) => code === "9387")![1];
    expect(cut).to.contain("15-10-2026");
    expect(cut).to.contain("Begindatum van de ProductPeriode is niet eerste dag van de kalendermaand");
    expect(cut).to.contain("Laat de nieuwe tariefregel op de 1e van een maand ingaan");
  });

  it("finds a tariff other than the contract's (0611), more dagdelen than allocated (9321) and a BSN failing the 11-test (0001)", async () => {
    const early = await w.ctx.db("contract_lines").where({ id: w.cw.lines.basisEarly }).first();
    await w.ctx.db("contract_lines").where({ id: w.cw.lines.basisEarly }).update({ tariff_cents: early.tariff_cents + 100 });
    await w.ctx.db("allocations").where({ id: w.cw.allocations.anna }).update({ volume: 2 });
    await w.ctx.db("clients").where({ id: w.cw.clients.bert }).update({ bsn: null });
    try {
      const rows = findings((await w.providerA.get(`/declaraties/${october}`)).text);
      const row = (code: string) => rows.find(([c]) => c === code)?.[1] ?? "";
      expect(row("0611")).to.contain("gedeclareerd tegen € 51,50, het contract zegt € 52,50");
      expect(row("9321")).to.contain("Aerts, Anna");
      expect(row("9321")).to.contain("3 bij 2 per week");
      expect(row("0001")).to.contain("Beurskens, Bert");
    } finally {
      await w.ctx.db("contract_lines").where({ id: w.cw.lines.basisEarly }).update({ tariff_cents: early.tariff_cents });
      await w.ctx.db("allocations").where({ id: w.cw.allocations.anna }).update({ volume: 3 });
      await w.ctx.db("clients").where({ id: w.cw.clients.bert }).update({ bsn: "999901023" });
    }
  });

  it("finds a month with care left undeclared between the last period submitted and this one (8214)", async () => {
    const local = await declarationWorld();
    try {
      await attendMonth(local.ctx.db, local.ctx.world, local.cw, "2026-08-01", "2026-09-30");
      await local.ctx.db("schedules").update({ valid_from: "2026-08-01" });
      const august = await prepare(local.providerA, local.ctx.world.gemeente, "2026-08");
      await submit(local.providerA, august);
      const id = await prepare(local.providerA, local.ctx.world.gemeente, "2026-10");
      const rows = findings((await local.providerA.get(`/declaraties/${id}`)).text);
      const gap = rows.find(([code]) => code === "8214")![1];
      expect(gap).to.contain("augustus 2026");
      expect(gap).to.contain("Declareer eerst september 2026");
    } finally {
      await local.ctx.close();
    }
  });

  it("the gemeente turns on its start-message rule (audited); the provider then sees it as information, not a refusal", async () => {
    expect((await postForm(w.providerA, "/declaraties/instellingen", { requires_start_message: "1" })).status).to.equal(403);
    expect((await postForm(w.zorgkantoor, "/declaraties/instellingen", { requires_start_message: "1" })).status).to.equal(403);
    expect((await w.ctx.db("organisations").where({ id: w.ctx.world.gemeente }).first()).requires_start_message).to.satisfy((v: unknown) => !v);
    const res = await postForm(w.gemeente, "/declaraties/instellingen", { requires_start_message: "1" }, "/declaraties");
    expect(res.status).to.equal(303);
    try {
      expect(await w.ctx.db("audit_log").where({ entity: "organisation", action: "change_declaration_settings", entity_id: w.ctx.world.gemeente }).first()).to.not.equal(undefined);
      expect((await w.gemeente.get("/declaraties")).text).to.match(/id="f-requires_start_message"[^>]*checked/);
      const rows = findings((await w.providerA.get(`/declaraties/${october}`)).text);
      const start = rows.find(([, text]) => text.includes("startbericht (WMO305)"))![1];
      expect(start).to.contain("ter informatie");
      expect(start).to.contain("mag de gemeente een declaratie hierom niet afwijzen");
    } finally {
      await postForm(w.gemeente, "/declaraties/instellingen", {}, "/declaraties");
    }
    expect(Boolean((await w.ctx.db("organisations").where({ id: w.ctx.world.gemeente }).first()).requires_start_message)).to.equal(false);
  });

  it("shows no check for a zorgkantoor (Wlz) declaration", async () => {
    const wlz = await prepare(w.providerB, w.ctx.world.zorgkantoor, "2026-10").catch(() => null);
    const id = wlz ?? (await w.ctx.db("declarations").where({ provider_id: w.ctx.world.providerB }).first()).id;
    expect((await w.providerB.get(`/declaraties/${id}`)).text).to.not.contain('id="check-title"');
  });
});
