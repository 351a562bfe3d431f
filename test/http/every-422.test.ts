import { expect } from "chai";
import { csrfToken, loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { makeAllocation, makeClient, makeClosure, makeSchedule, makeWaitlistEntry, planningWorld } from "../support/planning-fixtures";

// Issue 12.3 (last point): every 422 shows a message. Every form of the app is posted with an
// empty body and with every field filled with nonsense, by a user who may use it: the answer
// is never a 500, and a 422 always says what is wrong (a message next to a field, or in the
// summary at the top) — never a bare page.

const NONSENSE: Record<string, string> = {
  client_id: "x", location_id: "x", purchaser_id: "x", provider_id: "x", product_id: "x", allocation_id: "x", contract_id: "x",
  date: "9999-99-99", valid_from: "nope", valid_until: "2026-13-45", since: "x", starts_on: "x", ends_on: "x", ended_on: "x", birth_date: "x",
  month: "x", status: "x", dagdeel: "x", reason: "", reference: "", kind: "x", tariff: "x", volume: "x", volume_ceiling: "x", frequency: "x",
  first_name: "", last_name: "", email: "x", role: "x", name: "", slots: "9-x", week_parity: "x", funding: "x", priority: "x", jaar: "x",
  places_1_ochtend: "-3", budget_ceiling: "x", subsidy_amount: "x", bsn: "123", postcode: "x", subkind: "x", agb_code: "x", password: "x",
};

/** A 422 page that tells the reader what is wrong: a field message, or a summary with at least one item. */
function hasMessage(html: string): boolean {
  if (/class="field-error"/.test(html)) return true;
  const summary = /class="error-summary"[^>]*>([\s\S]*?)<\/div>/.exec(html);
  return summary !== null && /<li>\s*(<a [^>]*>)?\s*[^<\s]/.test(summary[1]);
}

describe("HTTP: every 422 shows a message", () => {
  let ctx: TestContext;
  const agents: Record<string, Agent> = {};
  const ids: Record<string, number> = {};

  before(async () => {
    ctx = await startTestApp();
    const pw = await planningWorld(ctx.db, ctx.world);
    for (const role of ["admin", "coordinator", "providerA", "purchaser"] as const) agents[role] = await loginAs(ctx.app, ctx.world.users[role].email);
    ids.client = await makeClient(ctx.db, "Fuzz");
    ids.ended = await makeClient(ctx.db, "Beëindigd");
    await ctx.db("clients").where({ id: ids.ended }).update({ ended_on: "2026-10-31" });
    ids.allocation = await makeAllocation(ctx.db, { client: ids.client, purchaser: ctx.world.gemeente, provider: ctx.world.providerA, product: pw.basis, volume: 2 });
    ids.schedule = await makeSchedule(ctx.db, { client: ids.client, location: ctx.world.locationA, slots: [[2, "ochtend"]], allocation: ids.allocation });
    ids.entry = await makeWaitlistEntry(ctx.db, { client: ids.client, location: ctx.world.locationA, slots: [[3, "ochtend"]] });
    ids.closure = await makeClosure(ctx.db, { provider: ctx.world.providerA, location: ctx.world.locationA, from: "2026-12-24" });
    ids.line = (await ctx.db("contract_lines").where({ contract_id: ctx.world.contractA }).first("id")).id;
    const [d] = await ctx.db("declarations").insert({ provider_id: ctx.world.providerA, purchaser_id: ctx.world.gemeente, month: "2026-10", status: "ingediend", total_cents: 0, created_at: "2026-11-01T08:00:00.000Z", updated_at: "2026-11-01T08:00:00.000Z" }).returning("id");
    ids.declaration = typeof d === "object" ? d.id : d;
  });
  after(async () => ctx.close());

  const loc = () => ctx.world.locationA;
  const forms = (): [string, string][] => [
    ["admin", "/beheer/gebruikers"],
    ["admin", `/beheer/gebruikers/${ctx.world.users.providerB.id}`],
    ["admin", "/beheer/organisaties"],
    ["admin", `/beheer/organisaties/${ctx.world.providerB}`],
    ["admin", "/beheer/producten"],
    ["providerA", "/berichten/import"],
    ["purchaser", "/berichten/instellingen"],
    ["purchaser", "/berichten/ontvangen"],
    ["coordinator", "/roosters"],
    ["coordinator", `/roosters/${ids.schedule}/wijzigen`],
    ["coordinator", `/roosters/${ids.schedule}/beeindigen`],
    ["coordinator", "/wachtlijst"],
    ["coordinator", `/wachtlijst/${ids.entry}/inplannen`],
    ["coordinator", "/clienten/nieuw"],
    ["coordinator", `/clienten/${ids.client}/wijzigen`],
    ["coordinator", `/clienten/${ids.client}/beeindigen`],
    ["coordinator", `/clienten/${ids.ended}/beeindigen`],
    ["coordinator", `/clienten/${ids.client}/toewijzingen/nieuw`],
    ["coordinator", `/toewijzingen/${ids.allocation}/wijzigen`],
    ["coordinator", "/locaties/sluitingen"],
    ["coordinator", "/locaties/feestdagen"],
    ["coordinator", `/agenda/client/${ids.client}`],
    ["providerA", "/locaties"],
    ["providerA", `/locaties/${loc()}`],
    ["providerA", `/locaties/${loc()}/capaciteit`],
    ["providerA", "/locaties/sluitingen"],
    ["providerA", `/aanwezigheid/locaties/${loc()}/registreren`],
    ["providerA", `/aanwezigheid/locaties/${loc()}/iedereen-aanwezig`],
    ["providerA", `/aanwezigheid/locaties/${loc()}/extra`],
    ["providerA", `/aanwezigheid/locaties/${loc()}/ongedaan-maken`],
    ["providerA", "/declaraties"],
    ["providerA", `/agenda/locatie/${loc()}`],
    ["purchaser", "/contracten"],
    ["purchaser", `/contracten/${ctx.world.contractA}`],
    ["purchaser", `/contracten/${ctx.world.contractA}/regels`],
    ["purchaser", `/contracten/regels/${ids.line}`],
    ["purchaser", `/declaraties/${ids.declaration}/afwijzen`],
    // Transitions a rule refuses: a submitted declaration cannot be recomputed, submitted again or deleted.
    ["providerA", `/declaraties/${ids.declaration}/herberekenen`],
    ["providerA", `/declaraties/${ids.declaration}/indienen`],
    ["providerA", `/declaraties/${ids.declaration}/verwijderen`],
    ["providerA", `/declaraties/${ids.declaration}/correctie`],
    ["providerA", `/locaties/sluitingen/${ids.closure}/verwijderen`],
    ["coordinator", `/wachtlijst/${ids.entry}/vervallen`],
    ["coordinator", `/clienten/${ids.ended}/heropenen`],
  ];

  it("posts every form empty and full of nonsense: never a 500, and every 422 names the problem", async () => {
    const bare: string[] = [];
    let refused = 0;
    for (const [who, url] of forms()) {
      const agent = agents[who];
      const token = await csrfToken(agent, "/");
      for (const body of [{}, NONSENSE]) {
        const res = await agent.post(url).type("form").send({ ...body, _csrf: token });
        expect(res.status, `${who} ${url}`).to.not.equal(500);
        if (res.status === 422) {
          refused += 1;
          if (!hasMessage(res.text)) bare.push(`${who} POST ${url} ${Object.keys(body).length === 0 ? "(empty)" : "(nonsense)"}`);
        }
      }
    }
    expect(bare, "422 pages without a message").to.deep.equal([]);
    expect(refused).to.be.greaterThan(40);
  });
});
