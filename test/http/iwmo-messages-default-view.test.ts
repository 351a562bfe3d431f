import { expect } from "chai";
import { insertMessage } from "../../src/iwmo/messages-repository";
import { PAGE_SIZE } from "../../src/iwmo/messages-routes";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { buildAttendanceWorld } from "../support/attendance-fixtures";

// /berichten without ?toon= shows "te laat" when anything is overdue, else "open" — and reads that
// page in the same round trip as the tabs' counts, from one list of both views (issue 11: the
// PostgreSQL round trips of a light page). Whatever the mix, the page without ?toon= is the page
// of the view it names, on every page of it.

describe("HTTP: the Berichten page without a view asked for", function () {
  this.timeout(60_000);
  let ctx: TestContext;
  let provider: Agent;
  const TODAY = "2026-11-23";

  before(async () => {
    ctx = await startTestApp();
    await buildAttendanceWorld(ctx.db, ctx.world); // clients with allocations at provider A
    provider = await loginAs(ctx.app, ctx.world.users.providerA.email);
  });
  after(async () => ctx.close());

  /** The messages a page lists, in order (each has its own XML link). */
  const idsOn = async (url: string) => {
    const res = await provider.get(url);
    expect(res.status, url).to.equal(200);
    return [...res.text.matchAll(/\/berichten\/(\d+)\/bericht\.xml/g)].map((m) => Number(m[1]));
  };

  async function addMessages(n: number, dueOn: string, deadline: string): Promise<void> {
    const a = await ctx.db("allocations").where({ provider_id: ctx.world.providerA }).first("id", "client_id", "provider_id", "purchaser_id", "valid_from", "valid_until");
    for (let i = 0; i < n; i++) {
      await insertMessage(ctx.db, a, { kind: "start", start_date: dueOn, end_date: null, reason: null, cause: null, due_on: dueOn, deadline }, `${TODAY}T08:00:00.000Z`);
    }
  }

  it("shows the overdue messages, page by page, as ?toon=te-laat does, and none still in time", async () => {
    await addMessages(PAGE_SIZE + 3, "2026-11-02", "2026-11-09"); // overdue
    await addMessages(4, "2026-11-20", "2026-11-27"); // due, in time
    await addMessages(2, "2026-12-01", "2026-12-08"); // not due yet
    for (const page of [1, 2, 3]) {
      const shown = await idsOn(`/berichten?pagina=${page}`);
      expect(shown, `page ${page}`).to.deep.equal(await idsOn(`/berichten?toon=te-laat&pagina=${page}`));
      expect(shown.length, `page ${page}`).to.equal(page === 1 ? PAGE_SIZE : page === 2 ? 3 : 0);
    }
    const res = await provider.get("/berichten");
    expect(res.text).to.contain(`Te laat: 1–${PAGE_SIZE} van ${PAGE_SIZE + 3}`);
  });

  it("shows the open messages as ?toon=open does once nothing is overdue", async () => {
    await ctx.db("iwmo_messages").where("deadline", "<", TODAY).delete();
    const shown = await idsOn("/berichten");
    expect(shown).to.have.length(4);
    expect(shown).to.deep.equal(await idsOn("/berichten?toon=open"));
    expect(await idsOn("/berichten?pagina=2")).to.deep.equal([]);
  });
});
