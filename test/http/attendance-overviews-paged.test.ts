import { expect } from "chai";
import type { Knex } from "knex";
import { loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { buildOverviewWorld, OVERVIEW_FROM, OVERVIEW_TODAY, type OverviewWorld } from "../support/overview-fixtures";
import { Scope } from "../../src/auth/scope";
import type { Actor } from "../../src/auth/types";
import { clientMonthTallies, locationWeekTallies } from "../../src/domain/attendance";
import { occupancy } from "../../src/occupancy/service";
import { plannedFromCells } from "../../src/attendance/expected";
import * as repo from "../../src/attendance/repository";
import {
  clientOverviewPage,
  clientOverviewSlices,
  locationOverviewPage,
  locationOverviewSlices,
  type OverviewInput,
} from "../../src/attendance/overviews";

// The paged overviews (issue 11) against the whole computation they replace: every location in
// scope expanded and every row read, then clientMonthTallies() and locationWeekTallies() over
// all of it. Page by page, each client's and each location's figures must be the reference's.

async function reference(db: Knex, scope: Scope, input: OverviewInput) {
  const locations = await repo.locationsInScope(db, scope);
  const chosen = input.locationId === null ? locations : locations.filter((l) => l.id === input.locationId);
  const until = input.until < OVERVIEW_TODAY ? input.until : OVERVIEW_TODAY;
  if (until < input.from) return { clients: [], locations: [] };
  const ids = chosen.map((l) => l.id);
  const planned = plannedFromCells(await occupancy(db, ids, input.from, until));
  const recorded = await repo.rowsBetween(db, ids, input.from, until);
  return { clients: clientMonthTallies(planned, recorded), locations: locationWeekTallies(planned, recorded) };
}

const byKey = <T>(rows: T[], key: (r: T) => string) => new Map(rows.map((r) => [key(r), r]));
const strip = <T extends object>(r: T, drop: string[]) => Object.fromEntries(Object.entries(r).filter(([k]) => !drop.includes(k)));

describe("HTTP: the attendance overviews a page at a time (issue 11)", () => {
  let ctx: TestContext;
  let ow: OverviewWorld;
  let coordinator: Agent;
  const actor = (role: Actor["role"], organisationId: number | null) => new Scope(ctx.db, { userId: 1, role, organisationId, name: "x" });

  before(async function () {
    this.timeout(120_000);
    ctx = await startTestApp();
    ow = await buildOverviewWorld(ctx.db, ctx.world);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
  });
  after(async () => ctx.close());

  const periods: OverviewInput[] = [
    { from: OVERVIEW_FROM, until: "2026-12-31", locationId: null },
    { from: "2026-10-01", until: "2026-10-31", locationId: null },
    { from: "2026-10-12", until: "2026-10-18", locationId: null },
    { from: "2026-11-02", until: "2026-11-02", locationId: null },
    { from: "2026-11-24", until: "2026-11-30", locationId: null },
  ];

  it("gives every client, page by page, the figures of the whole computation", async function () {
    this.timeout(60_000);
    const scopes = [actor("coordinator", null), actor("provider", ctx.world.providerA), actor("provider", ctx.world.providerB), actor("purchaser", ctx.world.zorgkantoor)];
    const inputs = [...periods, { from: OVERVIEW_FROM, until: "2026-11-30", locationId: ow.locationsA[1] }, { from: OVERVIEW_FROM, until: "2026-11-30", locationId: ow.locationsB[0] }];
    let compared = 0;
    for (const scope of scopes) {
      for (const input of inputs) {
        const ids = new Set((await repo.locationsInScope(ctx.db, scope)).map((l) => l.id));
        if (input.locationId !== null && !ids.has(input.locationId)) continue;
        const ref = await reference(ctx.db, scope, input);
        const seen: number[] = [];
        const paged = [];
        for (let page = 1; ; page++) {
          const p = await clientOverviewPage(ctx.db, scope, input, OVERVIEW_TODAY, page);
          expect(p.page).to.equal(page);
          for (const g of p.groups) {
            seen.push(g.client_id);
            paged.push(...g.rows);
            // A client shown without months had a schedule there that planned nothing (closures).
            if (g.rows.length === 0) expect(ref.clients.some((t) => t.client_id === g.client_id)).to.equal(false);
          }
          if (page * p.pageSize >= p.total) {
            expect(seen).to.have.length(p.total);
            break;
          }
          expect(p.groups).to.have.length(50);
        }
        expect(new Set(seen).size, "no client on two pages").to.equal(seen.length);
        const ours = byKey(paged.map((r) => strip(r, ["first_name", "last_name", "name"])), (r) => `${r.client_id}|${r.month}`);
        expect(ours, `${scope.actor.role} ${JSON.stringify(input)}`).to.deep.equal(byKey(ref.clients as never[], (r: { client_id: number; month: string }) => `${r.client_id}|${r.month}`));
        compared += ref.clients.length;

        // The CSV's slices hold the same rows, every client once.
        const csv = [];
        for await (const slice of clientOverviewSlices(ctx.db, scope, input, OVERVIEW_TODAY)) csv.push(...slice);
        expect(csv.map((r) => `${r.client_id}|${r.month}`)).to.deep.equal(paged.map((r) => `${r.client_id}|${r.month}`));
      }
    }
    expect(compared).to.be.greaterThan(500);
  });

  it("gives every location, page by page, the figures of the whole computation", async function () {
    this.timeout(60_000);
    const scopes = [actor("coordinator", null), actor("provider", ctx.world.providerA), actor("purchaser", ctx.world.gemeente), actor("purchaser", ctx.world.zorgkantoor)];
    let compared = 0;
    for (const scope of scopes) {
      for (const input of [...periods, { from: OVERVIEW_FROM, until: "2026-11-30", locationId: ow.locationsB[1] }]) {
        const ids = new Set((await repo.locationsInScope(ctx.db, scope)).map((l) => l.id));
        if (input.locationId !== null && !ids.has(input.locationId)) continue;
        const ref = await reference(ctx.db, scope, input);
        const paged = [];
        const seen: number[] = [];
        for (let page = 1; ; page++) {
          const p = await locationOverviewPage(ctx.db, scope, input, OVERVIEW_TODAY, page);
          for (const g of p.groups) {
            expect(ids.has(g.location_id)).to.equal(true);
            seen.push(g.location_id);
            paged.push(...g.rows);
          }
          if (page * p.pageSize >= p.total) break;
        }
        expect(new Set(seen).size).to.equal(seen.length);
        const ours = byKey(paged.map((r) => strip(r, ["location_name", "provider_name", "week_start"])), (r) => `${r.location_id}|${r.week}`);
        expect(ours, `${scope.actor.role} ${JSON.stringify(input)}`).to.deep.equal(byKey(ref.locations as never[], (r: { location_id: number; week: string }) => `${r.location_id}|${r.week}`));
        compared += ref.locations.length;
        const csv = [];
        for await (const slice of locationOverviewSlices(ctx.db, scope, input, OVERVIEW_TODAY)) csv.push(...slice);
        expect(csv.map((r) => `${r.location_id}|${r.week}`)).to.deep.equal(paged.map((r) => `${r.location_id}|${r.week}`));
      }
    }
    expect(compared).to.be.greaterThan(100);
  });

  it("shows fifty clients a page by name, the count, and links that keep the filters", async () => {
    const first = await coordinator.get(`/aanwezigheid/overzicht/clienten?van=${OVERVIEW_FROM}&tot=2026-11-30`);
    expect(first.status).to.equal(200);
    const total = ow.clients.length + 1;
    expect(first.text).to.contain(`1–50 van ${total} cliënten`);
    const names = [...first.text.matchAll(/<th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]);
    const distinct = names.filter((n, i) => names.indexOf(n) === i || names[i - 1] !== n);
    expect(distinct.length).to.be.at.most(50);
    // By last name: the closed client (Aaldering) first, then Aarts.
    expect(names[0]).to.equal("Gesloten Aaldering");
    expect(first.text).to.contain("geen geplande dagdelen (gesloten)");
    const next = first.text.match(/<a href="([^"]*)" rel="next">/)![1].replace(/&amp;/g, "&").replace(/&#x3D;/g, "=");
    expect(next).to.equal(`/aanwezigheid/overzicht/clienten?van=${OVERVIEW_FROM}&tot=2026-11-30&pagina=2`);
    const second = await coordinator.get(next);
    expect(second.text).to.contain(`51–100 van ${total} cliënten`);
    expect(second.text).to.match(/rel="prev"/);
    const last = await coordinator.get(`/aanwezigheid/overzicht/clienten?van=${OVERVIEW_FROM}&tot=2026-11-30&pagina=99`);
    expect(last.text).to.contain(`101–${total} van ${total} cliënten`);
    expect(last.text).to.not.match(/rel="next"/);
    expect((await coordinator.get(`/aanwezigheid/overzicht/clienten?pagina=abc`)).status).to.equal(200);

    const atOne = await coordinator.get(`/aanwezigheid/overzicht/clienten?van=${OVERVIEW_FROM}&tot=2026-11-30&locatie=${ow.locationsA[0]}&plaats=Boerderij`);
    expect(atOne.status).to.equal(200);
    const filtered = await coordinator.get(`/aanwezigheid/overzicht/locaties?van=2026-10-01&tot=2026-10-31&plaats=Erf`);
    expect(filtered.status).to.equal(200);
    const link = filtered.text.match(/<a href="([^"]*)" rel="next">/)![1].replace(/&amp;/g, "&").replace(/&#x3D;/g, "=");
    expect(link).to.equal("/aanwezigheid/overzicht/locaties?van=2026-10-01&tot=2026-10-31&plaats=Erf&pagina=2");
  });

  it("keeps the location filter in the links and counts only that location's clients", async () => {
    const loc = ow.locationsA[0];
    const res = await coordinator.get(`/aanwezigheid/overzicht/clienten?van=${OVERVIEW_FROM}&tot=2026-11-30&locatie=${loc}`);
    expect(res.status).to.equal(200);
    const scope = actor("coordinator", null);
    const p = await clientOverviewPage(ctx.db, scope, { from: OVERVIEW_FROM, until: "2026-11-30", locationId: loc }, OVERVIEW_TODAY, 1);
    const all = await clientOverviewPage(ctx.db, scope, { from: OVERVIEW_FROM, until: "2026-11-30", locationId: null }, OVERVIEW_TODAY, 1);
    expect(p.total).to.be.greaterThan(0).and.lessThan(all.total);
    if (p.total > 50) {
      const next = res.text.match(/<a href="([^"]*)" rel="next">/)![1].replace(/&amp;/g, "&").replace(/&#x3D;/g, "=");
      expect(next).to.contain(`locatie=${loc}`);
    } else {
      expect(res.text).to.contain(`1–${p.total} van ${p.total} cliënten`);
    }
  });

  it("shows a page of locations with all their weeks, fewer locations for a longer period", async () => {
    const month = await coordinator.get("/aanwezigheid/overzicht/locaties?van=2026-10-01&tot=2026-10-31");
    expect(month.status).to.equal(200);
    expect(month.text).to.contain("1–25 van 31 locaties");
    const year = await coordinator.get("/aanwezigheid/overzicht/locaties?van=2025-11-24&tot=2026-11-23");
    expect(year.text).to.match(/1–3 van 31 locaties/);
  });

  it("lets a provider see only its own clients and locations, and turns a purchaser away", async () => {
    const providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
    const own = await providerB.get(`/aanwezigheid/overzicht/locaties?van=${OVERVIEW_FROM}&tot=2026-11-30`);
    expect(own.text).to.contain("Huis 1");
    expect(own.text).to.not.contain("Erf 01");
    expect(own.text).to.not.contain("Boerderij A");
    const providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    const clientsA = await providerA.get(`/aanwezigheid/overzicht/clienten?van=${OVERVIEW_FROM}&tot=2026-11-30&formaat=csv`);
    const expected = (await clientOverviewPage(ctx.db, actor("provider", ctx.world.providerA), { from: OVERVIEW_FROM, until: "2026-11-30", locationId: null }, OVERVIEW_TODAY, 1)).total;
    const inCsv = new Set(clientsA.text.replace(/^\uFEFF/, "").trim().split("\r\n").slice(1).map((l) => Number(l.split(";")[0])));
    const atA = new Set((await ctx.db("schedules").whereIn("location_id", ow.locationsA).select("client_id")).map((r) => r.client_id));
    for (const id of inCsv) expect(atA.has(id) || (await ctx.db("attendance").where({ client_id: id }).whereIn("location_id", ow.locationsA).first()) !== undefined).to.equal(true);
    expect(inCsv.size).to.be.at.most(expected).and.greaterThan(0);
    expect((await providerB.get(`/aanwezigheid/overzicht/clienten?locatie=${ow.locationsA[0]}`)).status).to.equal(404);
    expect((await providerB.get(`/aanwezigheid/overzicht/locaties?locatie=${ow.locationsA[0]}&formaat=csv`)).status).to.equal(404);
    // Purchasers have no business with attendance (src/attendance/routes.ts): 403, paged or not.
    const zorgkantoor = await loginAs(ctx.app, ctx.world.users.zorgkantoor.email);
    for (const path of ["/aanwezigheid/overzicht/clienten?pagina=2", "/aanwezigheid/overzicht/locaties?formaat=csv"]) expect((await zorgkantoor.get(path)).status, path).to.equal(403);
    // The service in a purchaser's scope: only clients with a schedule or a row at provider B's locations.
    const page = await clientOverviewPage(ctx.db, actor("purchaser", ctx.world.zorgkantoor), { from: OVERVIEW_FROM, until: "2026-11-30", locationId: null }, OVERVIEW_TODAY, 1);
    const atB = new Set(
      (await ctx.db("schedules").whereIn("location_id", ow.locationsB).select("client_id")).map((r) => r.client_id).concat(
        (await ctx.db("attendance").whereIn("location_id", ow.locationsB).whereBetween("date", [OVERVIEW_FROM, OVERVIEW_TODAY]).select("client_id")).map((r) => r.client_id),
      ),
    );
    expect(page.total).to.equal(atB.size);
    for (const g of page.groups) expect(atB.has(g.client_id)).to.equal(true);
  });

  it("answers a wrong page number with the first or the last page, never an error", async () => {
    for (const p of ["0", "-1", "x", "1e9"]) {
      const res = await coordinator.get(`/aanwezigheid/overzicht/locaties?van=${OVERVIEW_FROM}&tot=2026-11-30&pagina=${p}`);
      expect(res.status, p).to.equal(200);
    }
    expect((await coordinator.get("/aanwezigheid/overzicht/locaties?van=2026-09-30&tot=2026-09-01")).status).to.equal(422);
  });

  it("runs as many queries for a page whatever the number of clients and rows", async () => {
    const count = async (c: TestContext, path: string) => {
      const agent = await loginAs(c.app, c.world.users.coordinator.email);
      await agent.get(path);
      let n = 0;
      const on = () => n++;
      c.db.on("query", on);
      const res = await agent.get(path);
      c.db.removeListener("query", on);
      expect(res.status).to.equal(200);
      return n;
    };
    const small = await startTestApp();
    try {
      await buildOverviewWorld(small.db, small.world, 60);
      for (const path of [`/aanwezigheid/overzicht/clienten?van=${OVERVIEW_FROM}&tot=2026-11-30`, "/aanwezigheid/overzicht/locaties?van=2026-10-01&tot=2026-10-31", `/aanwezigheid/overzicht/clienten?van=${OVERVIEW_FROM}&tot=2026-11-30&pagina=2`]) {
        expect(await count(small, path), path).to.equal(await count(ctx, path));
      }
    } finally {
      await small.close();
    }
  });
});
