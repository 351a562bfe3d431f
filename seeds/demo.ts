// Demo data for dagdeel: Peel en Maas ("Leven in het Dorp"), the gemeente and the zorgkantoor,
// six dorpsdagvoorzieningen, seven zorgboerderijen, ~150 clients with their allocations,
// schedules, attendance and declarations. Everything is relative to `today` and comes from a
// seeded PRNG, so the same `today` always gives the same rows.

import type { Knex } from "knex";
import { hashPassword } from "../src/auth/password";
import { timestamp, type Clock } from "../src/domain/clock";
import { withNameKeys } from "../src/db/name-keys";
import { addDays, isIsoDate } from "../src/domain/dates";
import { declarationLines, monthBounds, planAttendance, planClosures, type TariffLine } from "./demo-activity";
import { DECLARED, planContracts, type PlannedContract } from "./demo-contracts";
import { DEMO_USER_SPECS, DORPSDAGVOORZIENINGEN, MUNICIPALITY, PRODUCTS, PURCHASERS, VILLAGES, ZORGBOERDERIJEN, type ProductKey } from "./demo-data";
import { seedDates, type SeedDates } from "./demo-dates";
import { postcode } from "./demo-people";
import { seedMessages } from "./demo-messages";
import { planDemo, type PlannedClient } from "./demo-plan";
import { Rng, seedFrom } from "./random";

export const DEMO_PASSWORD = "demo-dagdeel";

export type DemoRole = "coordinator" | "provider" | "purchaser" | "admin";

export const DEMO_USERS: { email: string; role: DemoRole; name: string; organisation: string | null }[] = DEMO_USER_SPECS.map((u) => ({ ...u }));

const TABLES = [
  "organisations", "villages", "users", "locations", "capacity_rules", "closures", "products", "contracts",
  "contract_lines", "clients", "allocations", "schedules", "schedule_slots", "waitlist_entries", "waitlist_slots",
  "attendance", "declarations", "declaration_lines", "iwmo_messages",
] as const;

export type SeedSummary = Record<(typeof TABLES)[number], number>;

/** True when there is nothing to lose: no organisation yet. */
export async function isDatabaseEmpty(db: Knex): Promise<boolean> {
  const row = await db("organisations").first("id");
  return row === undefined;
}

type Row = Record<string, unknown>;

/** Inserts that stamp created_at/updated_at; ids come back through RETURNING (SQLite and PostgreSQL). */
function writer(trx: Knex.Transaction, stamp: string) {
  const stamped = (row: Row): Row => ({ ...row, created_at: stamp, updated_at: stamp });
  const keyed = (table: string, row: Row): Row => withNameKeys(table, stamped(row));
  return {
    async one(table: string, row: Row): Promise<number> {
      const [r] = await trx(table).insert(keyed(table, row)).returning("id");
      return Number(typeof r === "object" ? r.id : r);
    },
    async many(table: string, rows: Row[]): Promise<void> {
      if (rows.length === 0) return;
      // Stay under SQLite's oldest bound-parameter limit (999).
      const size = Math.max(1, Math.floor(900 / (Object.keys(rows[0]).length + 4)));
      for (let i = 0; i < rows.length; i += size) await trx(table).insert(rows.slice(i, i + size).map((r) => keyed(table, r)));
    },
  };
}

export async function seedDemo(db: Knex, options: { today: string; clock: Clock }): Promise<SeedSummary> {
  if (!isIsoDate(options.today)) throw new RangeError(`seedDemo: today must be yyyy-MM-dd, got ${options.today}`);
  const dates = seedDates(options.today);
  const providers = [...DORPSDAGVOORZIENINGEN, ...ZORGBOERDERIJEN];
  const plan = planDemo(providers, dates, new Rng(seedFrom("dagdeel-demo:plan")));
  const closures = planClosures(providers, plan, dates);
  const attendance = planAttendance(providers, plan, closures, dates, new Rng(seedFrom("dagdeel-demo:attendance")));
  const contracts = planContracts(plan, dates);
  const codes = new Rng(seedFrom("dagdeel-demo:codes"));
  // One hash for every demo user: scrypt is slow on purpose, and these share a password anyway.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const stamp = timestamp(options.clock);

  await db.transaction(async (trx) => {
    const w = writer(trx, stamp);

    // Organisations, villages, users.
    const purchaserIds = {} as Record<"gemeente" | "zorgkantoor", number>;
    for (const p of PURCHASERS) {
      purchaserIds[p.key] = await w.one("organisations", {
        kind: "purchaser", subkind: p.key, name: p.name, agb_code: null, kvk_number: kvk(codes),
        gemeentecode: p.gemeentecode, email: p.email, phone: p.phone, active: true,
      });
    }
    const agbCodes = new Set<string>();
    const providerIds: number[] = [];
    for (const p of providers) {
      let agb = "98" + codes.digits(6);
      while (agbCodes.has(agb)) agb = "98" + codes.digits(6);
      agbCodes.add(agb);
      providerIds.push(await w.one("organisations", {
        kind: "provider", subkind: p.subkind, name: p.name, agb_code: agb, kvk_number: kvk(codes),
        gemeentecode: null, email: p.email, phone: p.phone, active: true,
      }));
    }
    const orgByName = new Map<string, number>([
      ...PURCHASERS.map((p) => [p.name, purchaserIds[p.key]] as [string, number]),
      ...providers.map((p, i) => [p.name, providerIds[i]] as [string, number]),
    ]);
    const villageIds = new Map<string, number>();
    for (const v of VILLAGES) {
      villageIds.set(v.name, await w.one("villages", { name: v.name, municipality: MUNICIPALITY.name, gemeentecode: MUNICIPALITY.gemeentecode, province: MUNICIPALITY.province }));
    }
    const userIds = new Map<string, number>();
    for (const u of DEMO_USERS) {
      userIds.set(u.email, await w.one("users", {
        email: u.email, name: u.name, password_hash: passwordHash, role: u.role,
        organisation_id: u.organisation === null ? null : orgByName.get(u.organisation)!, active: true, locale: "nl",
      }));
    }
    const coordinator = userIds.get("coordinator@dagdeel.demo")!;

    // Locations, capacity, closures.
    const specs = providers.flatMap((p) => p.locations);
    const locationIds: number[] = [];
    for (const l of plan.locations) {
      const spec = specs[l.index];
      const prefix = VILLAGES.find((v) => v.name === spec.village)!.postcode;
      locationIds.push(await w.one("locations", {
        provider_id: providerIds[l.providerIndex], name: spec.name, street: spec.street,
        postcode: postcode(codes, prefix),
        village_id: villageIds.get(spec.village)!, morning_start: spec.times[0], morning_end: spec.times[1],
        afternoon_start: spec.times[2], afternoon_end: spec.times[3], active: true,
      }));
    }
    await w.many("capacity_rules", plan.locations.flatMap((l) => l.rules.map((r) => ({ location_id: locationIds[l.index], ...r }))));
    await w.many("closures", closures.map((c) => ({
      provider_id: providerIds[c.providerIndex], location_id: c.location_id === null ? null : locationIds[c.location_id],
      starts_on: c.starts_on, ends_on: c.ends_on, dagdeel: c.dagdeel, reason: c.reason, created_by: null,
    })));

    // Products and contracts.
    const productIds = {} as Record<ProductKey, number>;
    for (const { key, ...p } of PRODUCTS) productIds[key] = await w.one("products", { ...p, active: true });
    const currentContract = new Map<string, number>(); // "purchaser:providerIndex" → id of this year's active contract
    const tariffLines = new Map<number, TariffLine[]>();
    const contractIds: { c: PlannedContract; id: number }[] = [];
    for (const planned of contracts) {
      const { lines, purchaser, providerIndex, ...c } = planned;
      const id = await w.one("contracts", { ...c, purchaser_id: purchaserIds[purchaser], provider_id: providerIds[providerIndex] });
      contractIds.push({ c: planned, id });
      if (c.status === "actief") currentContract.set(`${purchaser}:${providerIndex}`, id);
      const own: TariffLine[] = [];
      for (const { product, ...line } of lines) {
        own.push({ id: await w.one("contract_lines", { ...line, contract_id: id, product_id: productIds[product] }), product, ...line });
      }
      tariffLines.set(id, own);
    }

    // Clients and their allocations.
    const clientIds: number[] = [];
    for (const c of plan.clients) {
      clientIds.push(await w.one("clients", {
        first_name: c.first_name, last_name: c.last_name, bsn: c.bsn, birth_date: c.birth_date,
        village_id: villageIds.get(c.village)!, street: c.street, postcode: c.postcode, phone: c.phone,
        needs_transport: c.needs_transport, wheelchair: c.wheelchair, notes: c.notes, ended_on: c.ended_on,
      }));
    }
    // The gemeente numbers its toewijzingen as iWmo asks (WMO301 ToewijzingNummer: digits
    // only, at most nine) from its own running counter; the zorgkantoor keeps its own style.
    const references = new Rng(seedFrom("dagdeel-demo:references"));
    let wmoNumber = 31042000;
    let wlzNumber = 2318400;
    const nextReference = (purchaser: "gemeente" | "zorgkantoor"): string =>
      purchaser === "gemeente" ? String((wmoNumber += references.int(1, 37))) : `VGZ-${String((wlzNumber += references.int(1, 90)))}`;
    const allocationIds = new Map<number, number>();
    const transportIds = new Map<number, number>();
    for (const c of plan.clients) {
      const purchaser = purchaserOf(c);
      if (!purchaser || !c.allocation) continue;
      for (const [a, main] of [[c.allocation, true], [c.transport, false]] as const) {
        if (!a) continue;
        const id = await w.one("allocations", {
          client_id: clientIds[c.index], purchaser_id: purchaserIds[purchaser], provider_id: providerIds[c.providerIndex],
          product_id: productIds[a.product], volume: a.volume, frequency: "week", valid_from: a.from, valid_until: a.until,
          reference: nextReference(purchaser),
        });
        (main ? allocationIds : transportIds).set(c.index, id);
      }
    }

    // Schedules and their slots.
    const slots: Row[] = [];
    for (const c of plan.clients) {
      const purchaser = purchaserOf(c);
      for (const s of c.segments) {
        const funding = c.category === "wmo" || c.category === "wlz" ? "toewijzing" : c.category;
        const id = await w.one("schedules", {
          client_id: clientIds[c.index], location_id: locationIds[s.location], funding,
          allocation_id: allocationIds.get(c.index) ?? null,
          contract_id: funding === "toewijzing" ? currentContract.get(`${purchaser}:${c.providerIndex}`) ?? null
            : funding === "subsidie" ? currentContract.get(`gemeente:${c.providerIndex}`) ?? null : null,
          product_id: c.allocation ? productIds[c.allocation.product] : funding === "subsidie" ? productIds.basis : null,
          valid_from: s.from, valid_until: s.until, week_parity: s.parity, created_by: coordinator,
        });
        for (const slot of s.slots) slots.push({ schedule_id: id, weekday: slot.weekday, dagdeel: slot.dagdeel });
      }
    }
    await w.many("schedule_slots", slots);

    // Waiting list.
    const wishes: Row[] = [];
    for (const e of plan.waitlist) {
      const id = await w.one("waitlist_entries", {
        client_id: clientIds[e.client], location_id: locationIds[e.location], since: e.since, priority: e.priority, status: "wachtend", note: e.note, funding: e.funding,
      });
      for (const s of e.slots) wishes.push({ waitlist_entry_id: id, weekday: s.weekday, dagdeel: s.dagdeel });
    }
    await w.many("waitlist_slots", wishes);

    // Attendance: the provider's own users record at their own locations, the coordinator elsewhere.
    const recorder = new Map<number, number>([
      [orgByName.get("Zorgboerderij De Peelhoeve")!, userIds.get("aanbieder@dagdeel.demo")!],
      [orgByName.get("Dorpsdagvoorziening Helden")!, userIds.get("dorp@dagdeel.demo")!],
    ]);
    await w.many("attendance", attendance.map((a) => {
      const providerId = providerIds[plan.locations[a.location].providerIndex];
      return {
        client_id: clientIds[a.client], location_id: locationIds[a.location], date: a.date, dagdeel: a.dagdeel, status: a.status,
        recorded_by: recorder.get(providerId) ?? coordinator, recorded_at: a.recorded_at,
      };
    }));

    // Declarations: two months ago answered, last month submitted and waiting for the purchaser.
    // Each is sent in its own month (DeclaratiePeriode). The gemeente approved every prestatie of
    // the answered months but one: a day care line of De Peelhoeve, refused with a retourcode, so
    // the provider has something to correct and declare again.
    let refusedOne = false;
    for (const [farmIndex, purchaser] of DECLARED) {
      const providerIndex = DORPSDAGVOORZIENINGEN.length + farmIndex;
      const submitter = recorder.get(providerIds[providerIndex]) ?? null;
      const decider = userIds.get(purchaser === "gemeente" ? "inkoper@dagdeel.demo" : "zorgkantoor@dagdeel.demo")!;
      for (const [month, status] of [[dates.acceptedMonth, "geaccepteerd"], [dates.submittedMonth, "ingediend"]] as const) {
        const { from, until } = monthBounds(month);
        const contract = contractIds.find(
          ({ c }) => c.status !== "concept" && c.purchaser === purchaser && c.providerIndex === providerIndex && c.valid_from <= from && until <= c.valid_until,
        );
        if (!contract) continue;
        const lines = declarationLines({
          plan, attendance, providerIndex, purchaser, month, lines: tariffLines.get(contract.id)!, noShowBillable: contract.c.no_show_billable,
        });
        if (lines.length === 0) continue;
        const submitted = submissionDay(month, dates);
        const answered = status === "geaccepteerd";
        const total = lines.reduce((sum, l) => sum + l.amount_cents, 0);
        const refused = answered && purchaser === "gemeente" && farmIndex === 0 && !refusedOne ? lines.find((l) => l.product === "basis") ?? null : null;
        if (refused) refusedOne = true;
        const id = await w.one("declarations", {
          provider_id: providerIds[providerIndex], purchaser_id: purchaserIds[purchaser], month, status,
          corrects_declaration_id: null, total_cents: total,
          submitted_at: `${submitted}T09:${String(10 + providerIndex).padStart(2, "0")}:00.000Z`, submitted_by: submitter,
          decided_at: answered ? `${addDays(submitted, 9)}T13:45:00.000Z` : null,
          decided_by: answered ? decider : null, rejection_reason: null,
          period: month, awarded_cents: answered ? total - (refused?.amount_cents ?? 0) : null,
        });
        await w.many("declaration_lines", lines.map((l) => {
          // The prestatie's period: the month, cut to the toewijzing's validity as iWmo asks (TR387/388).
          const a = l.product === plan.clients[l.client].allocation?.product ? plan.clients[l.client].allocation! : plan.clients[l.client].transport!;
          return {
            declaration_id: id, client_id: clientIds[l.client],
            allocation_id: allocationFor(l.client, l.product),
            product_id: productIds[l.product as ProductKey], contract_line_id: l.line.id,
            period_from: a.from > from ? a.from : from, period_until: a.until !== null && a.until < until ? a.until : until,
            units: l.units, tariff_cents: l.line.tariff_cents, amount_cents: l.amount_cents, debit_credit: "D",
            decision: answered ? (l === refused ? "afgewezen" : "toegekend") : null,
            retourcodes: l === refused ? "9321" : null,
            decision_note: l === refused ? "Volgens onze administratie meer dagdelen dan toegewezen in deze maand. Graag controleren en zo nodig opnieuw declareren." : null,
          };
        }));
      }
    }

    // WMO305/307: what the attendance and schedules above make due, the older ones sent.
    await seedMessages(trx, options.clock, options.today, recorder);

    function allocationFor(client: number, product: string): number | null {
      const c = plan.clients[client];
      if (c.allocation?.product === product) return allocationIds.get(client) ?? null;
      return c.transport?.product === product ? transportIds.get(client) ?? null : null;
    }
  });

  const summary = {} as SeedSummary;
  for (const table of TABLES) {
    const [row] = await db(table).count({ n: "*" });
    summary[table] = Number((row as { n: number | string }).n);
  }
  return summary;
}

function purchaserOf(c: PlannedClient): "gemeente" | "zorgkantoor" | null {
  if (c.category === "wmo") return "gemeente";
  if (c.category === "wlz") return "zorgkantoor";
  return null;
}

function kvk(rng: Rng): string {
  return String(rng.int(1, 9)) + rng.digits(7);
}

/** A declaration goes in early in the month after: the 5th, or yesterday when that is sooner. */
function submissionDay(month: string, dates: SeedDates): string {
  const fifth = addDays(monthBounds(month).until, 5);
  return fifth < dates.today ? fifth : addDays(dates.today, -1);
}
