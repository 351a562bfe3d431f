import { expect } from "chai";
import { Scope } from "../../src/auth/scope";
import * as clients from "../../src/clients/repository";
import * as contracts from "../../src/contracts/repository";
import * as declarations from "../../src/declarations/repository";
import * as imports from "../../src/iwmo/import-repository";
import * as products from "../../src/products/repository";
import * as use from "../../src/use/repository";
import { startTestApp, type TestContext } from "../support/app";

// node-postgres returns counts, sums and bigints as strings; the repositories must hand back
// real numbers on both databases (this suite also runs with TEST_APP_DATABASE=postgres).
describe("repositories return numbers where their types say number", () => {
  let ctx: TestContext;
  let coordinator: Scope;
  const at = "2026-11-01T08:00:00.000Z";

  before(async () => {
    ctx = await startTestApp();
    const { db, world } = ctx;
    coordinator = new Scope(db, { userId: world.users.coordinator.id, name: "co", role: "coordinator", organisationId: null } as never);
    await db("contracts").where({ id: world.contractA }).update({ budget_ceiling_cents: 1_234_567 });
    await db("declarations").insert({ provider_id: world.providerA, purchaser_id: world.gemeente, month: "2026-10", status: "concept", total_cents: 4321, created_at: at, updated_at: at });
    const [p] = await db("products").insert({ code: "DB-BAS", name: "Dagbesteding basis", unit: "dagdeel", created_at: at, updated_at: at }).returning("id");
    const productId = typeof p === "object" ? p.id : p;
    await imports.insertBatch(db, { uploaded_by: world.users.providerA.id, provider_id: world.providerA, at }, [
      { file_name: "a.xml", bericht_identificatie: "A1", purchaser_id: world.gemeente, provider_id: world.providerA, xml: "<x/>" },
      { file_name: "b.xml", bericht_identificatie: "B1", purchaser_id: world.gemeente, provider_id: world.providerA, xml: "<x/>" },
    ]);
    await db("use_tallies").insert({ provider_id: world.providerA, purchaser_id: world.gemeente, kind: "inkoop", named_contract_id: 0, via_schedule: true, product_id: productId, status: "aanwezig", month: "2026-10", units: 12 });
  });
  after(() => ctx.close());

  it("a declaration's money and line counts, and the list's total", async () => {
    const page = await declarations.listDeclarations(ctx.db, coordinator, { limit: 10, offset: 0 });
    expect(page.total).to.equal(1);
    const [d] = page.rows;
    expect(d.total_cents).to.equal(4321);
    for (const n of [d.line_count, d.decided_lines, d.rejected_lines]) expect(n).to.equal(0);
    expect(d.awarded_cents).to.equal(null);
    const found = await declarations.findDeclaration(ctx.db, coordinator, d.id);
    expect(found?.total_cents).to.equal(4321);
  });

  it("a contract's budget ceiling", async () => {
    const c = await contracts.findContract(ctx.db, coordinator, ctx.world.contractA);
    expect(c?.budget_ceiling_cents).to.equal(1_234_567);
  });

  it("counts on list pages", async () => {
    const page = await products.pageOfProducts(ctx.db, 10, 0);
    expect(page.total).to.equal(1);
    expect(page.rows[0].allocations).to.equal(0);
    expect(await clients.countAllocations(ctx.db, 1)).to.equal(0);
  });

  it("the file count of an iWmo import batch (a count subquery)", async () => {
    const provider = new Scope(ctx.db, { userId: ctx.world.users.providerA.id, name: "pa", role: "provider", organisationId: ctx.world.providerA } as never);
    const [batch] = await imports.recentBatches(ctx.db, provider, 10);
    expect(batch.files).to.equal(2);
  });

  it("the use tallies", async () => {
    const tallies = await use.pairTallies(ctx.db, [ctx.world.providerA], [ctx.world.gemeente], "2026-01", "2026-12");
    expect(tallies.map((t) => t.units)).to.deep.equal([12]);
  });
});
