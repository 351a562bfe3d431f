import type { Knex } from "knex";
import { expandSchedule } from "../../src/domain/schedule";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "./app";
import { buildContractsWorld, type AttendanceFixture, type ContractsWorld } from "./contracts-fixtures";
import type { World } from "./fixtures";

// The declaration cycle driven over HTTP, as the tests of declarations, corrections and
// answers use it, plus attendance of an extra month for the contracts world (set-up data).

export type DeclarationWorld = { ctx: TestContext; cw: ContractsWorld; providerA: Agent; providerB: Agent; gemeente: Agent; zorgkantoor: Agent; coordinator: Agent };

/** A fresh app with the contracts world and a logged-in agent per organisation. */
export async function declarationWorld(): Promise<DeclarationWorld> {
  const ctx = await startTestApp();
  const cw = await buildContractsWorld(ctx.db, ctx.world);
  const login = (who: keyof TestContext["world"]["users"]) => loginAs(ctx.app, ctx.world.users[who].email);
  return { ctx, cw, providerA: await login("providerA"), providerB: await login("providerB"), gemeente: await login("purchaser"), zorgkantoor: await login("zorgkantoor"), coordinator: await login("coordinator") };
}

/** Provider A's October to the gemeente, prepared and submitted. */
export async function submittedOctober(w: DeclarationWorld): Promise<number> {
  const id = await prepare(w.providerA, w.ctx.world.gemeente, "2026-10");
  await submit(w.providerA, id);
  return id;
}

export const idFrom = (location: string) => Number(location.split("/").pop()!.split("#")[0]);

export async function prepare(provider: Agent, purchaserId: number, month: string): Promise<number> {
  const res = await postForm(provider, "/declaraties", { purchaser_id: String(purchaserId), month }, "/declaraties");
  if (res.status !== 303) throw new Error(`prepare ${month}: ${res.status}`);
  return idFrom(res.headers.location);
}

export async function submit(provider: Agent, id: number): Promise<void> {
  const res = await postForm(provider, `/declaraties/${id}/indienen`, {}, `/declaraties/${id}`);
  if (res.status !== 303) throw new Error(`submit ${id}: ${res.status} ${res.text.match(/<li>[^<]*<\/li>/)?.[0] ?? ""}`);
}

export async function acceptRest(purchaser: Agent, id: number): Promise<void> {
  const res = await postForm(purchaser, `/declaraties/${id}/accepteren`, {}, `/declaraties/${id}`);
  if (res.status !== 303) throw new Error(`accept ${id}: ${res.status}`);
}

export async function refuseLine(purchaser: Agent, id: number, lineId: number, retourcode: string, note = ""): Promise<void> {
  const res = await postForm(purchaser, `/declaraties/${id}/regels/${lineId}`, { decision: "afgewezen", retourcode, note }, `/declaraties/${id}/regels/${lineId}`);
  if (res.status !== 303) throw new Error(`refuse line ${lineId}: ${res.status}`);
}

export async function openCorrection(provider: Agent, id: number, reason: string): Promise<number> {
  const res = await postForm(provider, `/declaraties/${id}/correctie`, { reason }, `/declaraties/${id}`);
  if (res.status !== 303) throw new Error(`open correction of ${id}: ${res.status}`);
  return idFrom(res.headers.location);
}

/** One attendance status through the daily list, as a provider records it. */
export function record(agent: Agent, locationId: number, cell: { client_id: number; date: string; dagdeel: string; status: string }) {
  return postForm(agent, `/aanwezigheid/locaties/${locationId}/registreren`, { ...cell, client_id: String(cell.client_id) }, `/aanwezigheid/locaties/${locationId}?datum=${cell.date}`);
}

/** Everyone of the contracts world present on every dagdeel of their weekly pattern in a period (set-up; the caller moves the schedules' start when the period lies before it). */
export async function attendMonth(db: Knex, world: World, cw: ContractsWorld, from: string, until: string): Promise<AttendanceFixture[]> {
  const rows: AttendanceFixture[] = [];
  for (const [client_id, location_id, p] of [
    [cw.clients.anna, world.locationA, cw.patterns.anna],
    [cw.clients.bert, world.locationA, cw.patterns.bert],
    [cw.clients.cor, world.locationB, cw.patterns.cor],
  ] as const) {
    for (const o of expandSchedule({ ...p, valid_from: from < p.valid_from ? from : p.valid_from }, from, until)) rows.push({ client_id, location_id, date: o.date, dagdeel: o.dagdeel, status: "aanwezig" });
  }
  const at = "2026-11-01T08:00:00.000Z";
  for (let i = 0; i < rows.length; i += 50) {
    await db("attendance").insert(rows.slice(i, i + 50).map((r) => ({ ...r, recorded_by: world.users.providerA.id, recorded_at: at, created_at: at, updated_at: at })));
  }
  cw.attendance.push(...rows);
  return rows;
}

export type LineRow = { id: number; client_id: number; product_id: number; units: number; tariff_cents: number; amount_cents: number | string; period_from: string; period_until: string; debit_credit: string; allocation_id: number | null; decision: string | null; retourcodes: string | null; decision_note: string | null };

export const linesOf = (db: Knex, id: number): Promise<LineRow[]> => db("declaration_lines").where({ declaration_id: id }).orderBy("id");
export const declarationRow = (db: Knex, id: number) => db("declarations").where({ id }).first();
