// The organisations and places of the region: the purchasers (a gemeente per included
// municipality and the zorgkantoor), the providers (village facilities and care farms), their
// locations with clock times, and the capacity of every weekday and dagdeel. Ids are assigned
// here and written as they are, so the plan and the database speak the same ids.

import type { Dagdeel } from "../../src/domain/dagdeel";
import { dateOfDayNumber, weekdayOfDayNumber } from "../../src/domain/schedule";
import { DORPSDAGVOORZIENINGEN, ZORGBOERDERIJEN, type ProviderSpec } from "../demo-data";
import { postcode } from "../demo-people";
import type { Rng } from "../random";
import { gemeentenFor, ZORGKANTOOR, type Gemeente } from "./geography";
import { FARM_PLACES, FARM_STEMS, LOCATION_ROOMS, LOCATION_STREETS, slug, VILLAGE_PATTERNS } from "./names";
import type { RegionDates } from "./options";

export type PlanVillage = { id: number; name: string; postcode: string; gemeente: number };

export type PlanPurchaser = {
  id: number;
  subkind: "gemeente" | "zorgkantoor";
  name: string;
  gemeentecode: string | null;
  /** Index into the region's gemeenten; null for the zorgkantoor. */
  gemeente: number | null;
  email: string;
  phone: string;
  kvk: string;
};

export type PlanProvider = {
  id: number;
  subkind: "dorpsdagvoorziening" | "zorgboerderij";
  name: string;
  email: string;
  phone: string;
  agb: string;
  kvk: string;
  gemeente: number;
  /** Holds a Wlz contract with the zorgkantoor. */
  wlz: boolean;
  locations: PlanLocation[];
};

export type PlanCell = {
  weekday: number;
  dagdeel: Dagdeel;
  places: number;
  /** A raise of capacity "from date X" (day number) to more places. */
  raise: { at: number; places: number } | null;
  /** The share of today's places the planning aims to fill; 1 plans the cell full. */
  fill: number;
};

export type PlanLocation = {
  id: number;
  providerId: number;
  kind: "dorp" | "farm";
  /** Its provider takes Wlz clients. */
  wlz: boolean;
  gemeente: number;
  villageId: number;
  name: string;
  street: string;
  postcode: string;
  times: [string, string, string, string];
  /** The day (number) its capacity rules start: before the history for most, within the window for a few. */
  opened: number;
  cells: PlanCell[];
};

export type Organisations = {
  gemeenten: Gemeente[];
  villages: PlanVillage[];
  purchasers: PlanPurchaser[];
  zorgkantoorId: number;
  providers: PlanProvider[];
  locations: PlanLocation[];
};

const DAGDELEN: Dagdeel[] = ["ochtend", "middag"];
const FARM_TIMES: [string, string, string, string][] = [
  ["09:00", "12:30", "13:00", "16:00"],
  ["08:45", "12:15", "13:00", "16:00"],
  ["09:00", "12:30", "13:15", "16:15"],
  ["09:30", "12:30", "13:00", "15:30"],
];
const VILLAGE_TIMES: [string, string, string, string][] = [
  ["09:30", "12:00", "13:00", "16:00"],
  ["09:45", "12:00", "13:00", "16:00"],
  ["09:30", "12:00", "13:00", "15:30"],
];

export function planOrganisations(scale: number, dates: RegionDates, rng: Rng): Organisations {
  const providerCount = Math.max(4, Math.round(100 * scale));
  const locationCount = Math.max(providerCount, Math.round(200 * scale));
  // A tiny region still has four locations; their places shrink so the region's capacity (and
  // so its clients and attendance) stays in proportion to the scale.
  const size = Math.min(1, (200 * scale) / locationCount);
  const gemeenten = gemeentenFor(providerCount);

  const villages: PlanVillage[] = [];
  gemeenten.forEach((g, gi) => g.villages.forEach((v) => villages.push({ id: villages.length + 1, name: v.name, postcode: v.postcode, gemeente: gi })));
  const villageId = (gi: number, name: string): number => villages.find((v) => v.gemeente === gi && v.name === name)!.id;

  let orgId = 0;
  const kvk = (): string => String(rng.int(1, 9)) + rng.digits(7);
  const purchasers: PlanPurchaser[] = gemeenten.map((g, gi) => ({
    id: ++orgId,
    subkind: "gemeente",
    name: `Gemeente ${g.name}`,
    gemeentecode: g.code,
    gemeente: gi,
    email: `wmo@${slug(g.name)}.demo`,
    phone: `0${rng.int(43, 77)}-${rng.digits(7)}`,
    kvk: kvk(),
  }));
  const zorgkantoorId = ++orgId;
  purchasers.push({ id: zorgkantoorId, subkind: "zorgkantoor", name: ZORGKANTOOR.name, gemeentecode: null, gemeente: null, email: ZORGKANTOOR.email, phone: ZORGKANTOOR.phone, kvk: kvk() });

  // Which providers there are, and where: the demo's own in Peel en Maas first.
  const dorpCount = Math.max(2, Math.round(providerCount * 0.45));
  const farmCount = Math.max(2, providerCount - dorpCount);
  type Draft = { subkind: PlanProvider["subkind"]; gemeente: number; village: number; spec: ProviderSpec | null; name: string };
  const drafts: Draft[] = [];
  const usedVillages = new Set<number>();
  for (const spec of DORPSDAGVOORZIENINGEN.slice(0, dorpCount)) {
    const v = villageId(0, spec.locations[0].village);
    usedVillages.add(v);
    drafts.push({ subkind: "dorpsdagvoorziening", gemeente: 0, village: v, spec, name: spec.name });
  }
  const freeVillages = rng.shuffle(villages.filter((v) => !usedVillages.has(v.id)));
  for (let i = 0; drafts.length < dorpCount; i++) {
    const v = freeVillages[i % freeVillages.length];
    const pattern = rng.pick(VILLAGE_PATTERNS);
    drafts.push({ subkind: "dorpsdagvoorziening", gemeente: v.gemeente, village: v.id, spec: null, name: `${pattern} ${v.name}${i >= freeVillages.length ? ` ${Math.floor(i / freeVillages.length) + 1}` : ""}` });
  }
  for (const spec of ZORGBOERDERIJEN.slice(0, farmCount)) {
    drafts.push({ subkind: "zorgboerderij", gemeente: 0, village: villageId(0, spec.locations[0].village), spec, name: spec.name });
  }
  const stems = rng.shuffle(FARM_STEMS);
  for (let i = 0; drafts.length < dorpCount + farmCount; i++) {
    // Farms spread over the gemeenten as their kernen do.
    const v = rng.pick(villages);
    const stem = stems[i % stems.length];
    drafts.push({ subkind: "zorgboerderij", gemeente: v.gemeente, village: v.id, spec: null, name: `Zorgboerderij ${stem}${i >= stems.length ? ` ${v.name}` : ""}` });
  }

  // Locations per provider: one for a village facility (a fifth has a second), the rest on the farms.
  const perProvider = drafts.map(() => 1);
  const total = (): number => perProvider.reduce((a, b) => a + b, 0);
  for (const [i, d] of drafts.entries()) if (d.subkind === "dorpsdagvoorziening" && rng.chance(0.2) && total() < locationCount) perProvider[i]++;
  const farms = drafts.map((d, i) => ({ d, i })).filter((x) => x.d.subkind === "zorgboerderij");
  while (total() < Math.min(locationCount, total() - farms.reduce((sum, f) => sum + perProvider[f.i], 0) + 4 * farms.length)) {
    const f = rng.pick(farms);
    if (perProvider[f.i] < 4) perProvider[f.i]++;
  }

  const agbs = new Set<string>();
  const providers: PlanProvider[] = [];
  const locations: PlanLocation[] = [];
  drafts.forEach((d, i) => {
    let agb = "98" + rng.digits(6);
    while (agbs.has(agb)) agb = "98" + rng.digits(6);
    agbs.add(agb);
    const provider: PlanProvider = {
      id: ++orgId,
      subkind: d.subkind,
      name: d.name,
      email: d.spec?.email ?? `info@${slug(d.name.replace(/^(Zorgboerderij|Dorpsdagvoorziening)\s/, ""))}.demo`,
      phone: d.spec?.phone ?? `077-${rng.pick(["3", "4"])}${rng.digits(6)}`,
      agb,
      kvk: kvk(),
      gemeente: d.gemeente,
      // Two in three farms take Wlz clients; De Peelhoeve does (the demo's zorgkantoor user sees it).
      wlz: d.subkind === "zorgboerderij" && (d.spec ? d.spec.wlz : rng.chance(0.65)),
      locations: [],
    };
    providers.push(provider);
    for (let n = 0; n < perProvider[i]; n++) {
      const location = planLocation(provider, d, n, villages, dates, size, rng);
      location.id = locations.length + 1;
      provider.locations.push(location);
      locations.push(location);
    }
  });
  return { gemeenten, villages, purchasers, zorgkantoorId, providers, locations };
}

function planLocation(
  provider: PlanProvider,
  d: { subkind: string; village: number; spec: ProviderSpec | null },
  n: number,
  villages: PlanVillage[],
  dates: RegionDates,
  size: number,
  rng: Rng,
): PlanLocation {
  const farm = d.subkind === "zorgboerderij";
  const spec = d.spec?.locations[n];
  const ownGemeente = villages.filter((v) => v.gemeente === provider.gemeente);
  const village = spec
    ? villages.find((v) => v.gemeente === provider.gemeente && v.name === spec.village)!
    : n === 0
      ? villages.find((v) => v.id === d.village)!
      : rng.pick(ownGemeente);
  const stem = provider.name.replace(/^(Zorgboerderij|Dorpsdagvoorziening)\s/, "");
  const name =
    spec?.name ??
    (farm
      ? n === 0 ? stem : `${stem} ${FARM_PLACES[(provider.id + n - 1) % FARM_PLACES.length]}`
      : `${rng.pick(LOCATION_ROOMS)} ${village.name}${n > 0 ? " (2)" : ""}`);
  // A few locations opened within the window; the others long before it.
  const opensLate = rng.chance(0.04) && !spec;
  const opened = opensLate ? monday(dates.windowStartN + rng.int(30, 540)) : dates.historyStartN - 366;
  const raiseAt = !opensLate && rng.chance(0.1) ? firstOfMonth(dates.windowStartN + rng.int(60, 640)) : null;
  const cells: PlanCell[] = [];
  const fullCell = (): boolean => rng.chance(0.1);
  const aim = (lo: number, hi: number): number => (fullCell() ? 1 : lo + rng.next() * (hi - lo));
  if (farm) {
    const morningOnly = spec ? spec.cells.every((c) => c.dagdeel === "ochtend") : n > 0 && rng.chance(0.3);
    const closedDay = rng.chance(0.15) ? rng.int(2, 5) : null;
    const base = Math.round((n === 0 ? rng.int(26, 48) : rng.int(15, 30)) * size);
    for (let weekday = 1; weekday <= (rng.chance(0.05) ? 6 : 5); weekday++) {
      if (weekday === closedDay) continue;
      for (const dagdeel of DAGDELEN) {
        if (dagdeel === "middag" && (morningOnly || weekday === 6)) continue;
        const places = Math.max(4, base - (dagdeel === "middag" ? rng.int(0, 4) : 0) - (weekday === 6 ? 6 : 0));
        cells.push({ weekday, dagdeel, places, raise: raiseAt === null ? null : { at: raiseAt, places: places + rng.int(2, 4) }, fill: aim(0.82, 0.97) });
      }
    }
  } else {
    const days = rng.shuffle([1, 2, 3, 4, 5]).slice(0, rng.int(3, 5)).sort();
    const base = Math.max(4, Math.round(rng.int(15, 30) * size));
    for (const weekday of days) {
      for (const dagdeel of DAGDELEN) {
        if (dagdeel === "middag" && rng.chance(0.35)) continue;
        cells.push({ weekday, dagdeel, places: base, raise: raiseAt === null ? null : { at: raiseAt, places: base + rng.int(2, 4) }, fill: aim(0.72, 0.94) });
      }
    }
  }
  const times = spec?.times ?? rng.pick(farm ? FARM_TIMES : VILLAGE_TIMES);
  return {
    id: 0,
    providerId: provider.id,
    kind: farm ? "farm" : "dorp",
    wlz: provider.wlz,
    gemeente: provider.gemeente,
    villageId: village.id,
    name,
    street: spec?.street ?? `${rng.pick(LOCATION_STREETS)} ${rng.int(1, 60)}`,
    postcode: postcode(rng, village.postcode),
    times: [...times] as [string, string, string, string],
    opened,
    cells,
  };
}

function monday(n: number): number {
  return n - weekdayOfDayNumber(n) + 1;
}

function firstOfMonth(n: number): number {
  const d = dateOfDayNumber(n);
  return Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, 1) / 86_400_000;
}
