import { expect } from "chai";
import { csrfToken, loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { addAllocation, addClient, addProducts, BSN } from "../support/clients-fixtures";
import { countRows, insertRow, product, upload, wmo301 } from "../support/iwmo-fixtures";

// Two people at once (on PostgreSQL, two connections; on SQLite one after the other): the same
// toewijzingen applied twice, the same message marked sent twice. Each lands exactly once.

describe("HTTP: iWmo writes at the same moment", function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let coordinators: Agent[];

  before(async () => {
    ctx = await startTestApp();
    await addProducts(ctx.db);
    coordinators = [await loginAs(ctx.app, ctx.world.users.coordinator.email), await loginAs(ctx.app, ctx.world.users.coordinator.email)];
  });
  after(async () => ctx.close());

  const applyBoth = async (ids: number[]) => {
    const tokens = [await csrfToken(coordinators[0], "/"), await csrfToken(coordinators[1], "/")];
    return Promise.all(ids.map((id, i) => coordinators[i].post(`/berichten/import/${id}/toepassen`).type("form").send({ _csrf: tokens[i] })));
  };
  const uploadOne = async (agent: Agent, xml: string) => {
    const res = await upload(agent, "/berichten/import", [{ name: "x.xml", xml }], "/berichten/import");
    expect(res.status).to.equal(303);
    return Number(res.headers.location.split("/").pop());
  };

  it("one upload applied by two coordinators at once writes its allocations once", async () => {
    const id = await uploadOne(coordinators[0], wmo301({ identificatie: "C1", bsn: BSN.spare1, producten: [product({ toewijzingNummer: "301001" })] }));
    const responses = await applyBoth([id, id]);
    expect(responses.map((r) => r.status)).to.deep.equal([303, 303]);
    expect(await countRows(ctx.db, "allocations", { reference: "301001" })).to.equal(1);
    expect(await countRows(ctx.db, "clients", { bsn: BSN.spare1 })).to.equal(1);
    expect(await countRows(ctx.db, "audit_log", { entity: "iwmo_import", action: "apply", entity_id: id })).to.equal(1);
  });

  it("two uploads of the same toewijzingen applied at once: one writes, the other writes nothing", async () => {
    const xml = wmo301({ identificatie: "C2", bsn: BSN.spare2, producten: [product({ toewijzingNummer: "301002" })] });
    const ids = [await uploadOne(coordinators[0], xml), await uploadOne(coordinators[1], xml)];
    const responses = await applyBoth(ids);
    // SQLite runs them one after the other (the second finds nothing to change); PostgreSQL's
    // unique indexes stop the second, which is told to look again.
    expect(["303,303", "303,422"]).to.include(responses.map((r) => r.status).sort().join(","));
    const refused = responses.find((r) => r.status === 422);
    if (refused) expect(refused.text).to.contain("Iemand anders heeft dezelfde toewijzingen net ingelezen");
    expect(await countRows(ctx.db, "allocations", { reference: "301002" })).to.equal(1);
    expect(await countRows(ctx.db, "clients", { bsn: BSN.spare2 })).to.equal(1);
  });

  it("one message marked sent twice at once is sent once", async () => {
    const client = await addClient(ctx.db, { first_name: "Gijs", last_name: "Gerrits", bsn: BSN.spare3, birth_date: "1950-01-01" });
    const product07 = (await ctx.db("products").where({ code: "07A01" }).first()).id;
    const allocation = await addAllocation(ctx.db, { client_id: client, purchaser_id: ctx.world.gemeente, provider_id: ctx.world.providerA, product_id: product07, reference: "301003" });
    const message = await insertRow(ctx.db, "iwmo_messages", {
      kind: "start", status: "open", allocation_id: allocation, client_id: client, provider_id: ctx.world.providerA, purchaser_id: ctx.world.gemeente,
      start_date: "2026-11-16", due_on: "2026-11-16", deadline: "2026-11-23", reason_chosen: false,
    });
    const providers = [await loginAs(ctx.app, ctx.world.users.providerA.email), await loginAs(ctx.app, ctx.world.users.providerA.email)];
    const tokens = [await csrfToken(providers[0], "/"), await csrfToken(providers[1], "/")];
    const responses = await Promise.all(providers.map((p, i) => p.post(`/berichten/${message}/verzonden`).type("form").send({ _csrf: tokens[i] })));
    expect(responses.map((r) => r.status).sort()).to.deep.equal([303, 422]);
    expect(await countRows(ctx.db, "audit_log", { action: "send_wmo305", entity_id: message })).to.equal(1);
  });
});
