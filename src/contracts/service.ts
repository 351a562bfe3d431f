import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { periodContains, periodsOverlap } from "../domain/dates";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import { compareTariffs } from "../domain/tariff-comparison";
import type { Level } from "../domain/utilisation";
import { barChart } from "./bars";
import * as repo from "./repository";
import { useOfContracts, type ContractUse } from "./use";
import { pageOf } from "../web/pagination";

// Purchase agreements: who may see and change them, the rules a contract and its lines obey,
// and the figures of their use.

/** Only a purchaser changes its own contracts; an admin changes any. */
export function canManage(actor: Actor, contract?: { purchaser_id: number }): boolean {
  if (actor.role === "admin") return true;
  if (actor.role !== "purchaser") return false;
  return contract === undefined || contract.purchaser_id === actor.organisationId;
}

function assertManager(actor: Actor, contract?: { purchaser_id: number }): void {
  if (!canManage(actor, contract)) throw new ForbiddenError("contracts are managed by their purchaser");
}

// --- Overview -------------------------------------------------------------------------------

export type OverviewRow = {
  contract: repo.ContractRow;
  realisedCents: number;
  forecastCents: number;
  realisedDagdelen: number;
  forecastDagdelen: number;
  usePercent: number | null;
  hasUse: boolean;
  level: Level;
};

export const SORT_KEYS = ["reference", "purchaser", "provider", "kind", "period", "status", "realised", "forecast", "use"] as const;
export type SortKey = (typeof SORT_KEYS)[number];

function overviewRow({ contract, use }: ContractUse): OverviewRow {
  const subsidy = contract.kind === "subsidie";
  return {
    contract,
    realisedCents: use.realised.cents,
    forecastCents: use.forecast.cents,
    realisedDagdelen: use.realised.units,
    forecastDagdelen: use.forecast.units,
    usePercent: subsidy ? (use.subsidy?.percentForecast ?? null) : use.budget.percentForecast,
    hasUse: (subsidy ? (use.subsidy?.percentForecast ?? null) : use.budget.percentForecast) !== null,
    level: use.level,
  };
}

const compareBy: Record<SortKey, (a: OverviewRow, b: OverviewRow) => number> = {
  reference: (a, b) => a.contract.reference.localeCompare(b.contract.reference, "nl"),
  purchaser: (a, b) => a.contract.purchaser_name.localeCompare(b.contract.purchaser_name, "nl"),
  provider: (a, b) => a.contract.provider_name.localeCompare(b.contract.provider_name, "nl"),
  kind: (a, b) => a.contract.kind.localeCompare(b.contract.kind),
  period: (a, b) => a.contract.valid_from.localeCompare(b.contract.valid_from) || a.contract.valid_until.localeCompare(b.contract.valid_until),
  status: (a, b) => repo.CONTRACT_STATUSES.indexOf(a.contract.status) - repo.CONTRACT_STATUSES.indexOf(b.contract.status),
  realised: (a, b) => a.realisedCents - b.realisedCents || a.realisedDagdelen - b.realisedDagdelen,
  forecast: (a, b) => a.forecastCents - b.forecastCents || a.forecastDagdelen - b.forecastDagdelen,
  // Contracts without a ceiling or target sort below every percentage.
  use: (a, b) => (a.usePercent ?? -1) - (b.usePercent ?? -1),
};

export const CONTRACTS_PER_PAGE = 50;

/** The contracts that run in a calendar year (null: every year), a page of them, in a sort order. */
export type OverviewFilter = { year: number | null; page: number };

/** Sort keys read from the contract itself: a page of those needs the use of that page only. */
const PLAIN_KEYS: SortKey[] = ["reference", "purchaser", "provider", "kind", "period", "status"];

/**
 * The list of contracts with their use. A region's coordinator sees well over a thousand, so
 * the list shows one year's contracts (the current one unless asked), fifty a page. Sorted by
 * what a contract says, use is counted for the page shown; sorted by use, for the whole year.
 * The warnings name what was counted: the whole year, or the page.
 */
export async function contractsOverview(db: Knex, scope: Scope, today: string, sort: SortKey, dir: "asc" | "desc", filter: OverviewFilter = { year: null, page: 1 }) {
  const all = await repo.listContracts(db, scope);
  const years = [...new Set(all.flatMap((c) => [Number(c.valid_from.slice(0, 4)), Number(c.valid_until.slice(0, 4))]))].sort((a, b) => b - a);
  const contracts = filter.year === null ? all : all.filter((c) => c.valid_from <= `${filter.year}-12-31` && c.valid_until >= `${filter.year}-01-01`);
  const { page, pages } = pageOf(filter.page, contracts.length, CONTRACTS_PER_PAGE);
  const sign = dir === "desc" ? -1 : 1;
  const order = (a: OverviewRow, b: OverviewRow) => sign * compareBy[sort](a, b) || a.contract.reference.localeCompare(b.contract.reference);
  const onPage = (rows: OverviewRow[]) => rows.slice((page - 1) * CONTRACTS_PER_PAGE, page * CONTRACTS_PER_PAGE);
  const wholeYear = !PLAIN_KEYS.includes(sort) || pages === 1;
  let counted: OverviewRow[];
  let rows: OverviewRow[];
  if (wholeYear) {
    const uses = await useOfContracts(db, contracts, today);
    counted = contracts.map((c) => overviewRow(uses.get(c.id)!)).sort(order);
    rows = onPage(counted);
  } else {
    // The order needs no figures: sort without them, then count the page.
    const shown = onPage(contracts.map((c) => ({ contract: c }) as OverviewRow).sort(order)).map((r) => r.contract);
    const uses = await useOfContracts(db, shown, today);
    rows = counted = shown.map((c) => overviewRow(uses.get(c.id)!));
  }
  return {
    rows,
    total: contracts.length,
    page,
    years,
    totals: {
      realisedCents: counted.reduce((s, r) => s + r.realisedCents, 0),
      forecastCents: counted.reduce((s, r) => s + r.forecastCents, 0),
    },
    warnings: counted.filter((r) => r.level !== "none").length,
    warningsOnPage: !wholeYear,
  };
}

// --- One contract ---------------------------------------------------------------------------

export async function findVisibleContract(db: Knex, scope: Scope, id: number): Promise<repo.ContractRow> {
  const contract = await repo.findContract(db, scope, id);
  if (!contract) throw new NotFoundError("contract");
  return contract;
}

/** Month names come from luxon in the page's language; the template never spells one. */
export async function contractPage(db: Knex, scope: Scope, id: number, today: string, monthLabel: (month: string) => string) {
  const contract = await findVisibleContract(db, scope, id);
  const { lines, use, plannedUntil, forecast } = (await useOfContracts(db, [contract], today)).get(contract.id)!;
  const products = new Map((await repo.allProducts(db)).map((p) => [p.id, p]));
  const lineRows = use.lines.map((l) => {
    const full = lines.find((x) => x.id === l.line.id)!;
    return { ...l, line: full };
  });
  const ceilingBars = barChart(
    [
      ...(use.budget.ceiling !== null
        ? [{ key: "budget", label: "budget", realised: use.realised.cents, planned: use.planned.cents, ceiling: use.budget.ceiling }]
        : []),
      ...lineRows
        .filter((l) => l.line.volume_ceiling !== null)
        .map((l) => ({ key: l.line.id, label: l.line.product_name, realised: l.realised.units, planned: l.planned.units, ceiling: l.line.volume_ceiling })),
      ...(use.subsidy && use.subsidy.target
        ? [{ key: "subsidy", label: "subsidy", realised: use.subsidy.realised, planned: use.subsidy.planned, ceiling: use.subsidy.target }]
        : []),
    ],
    false,
  );
  // Per month: the contract's months in order, in euros (inkoop) or dagdelen (subsidie).
  const byMonth = new Map<string, { realised: number; planned: number }>();
  for (const m of use.months) {
    const e = byMonth.get(m.month) ?? { realised: 0, planned: 0 };
    e.realised += contract.kind === "inkoop" ? m.realised.cents : m.realised.units;
    e.planned += contract.kind === "inkoop" ? m.planned.cents : m.planned.units;
    byMonth.set(m.month, e);
  }
  const monthBars = barChart(
    [...byMonth.entries()].sort().map(([month, v]) => ({ key: month, label: monthLabel(month), realised: v.realised, planned: v.planned, ceiling: null })),
    true,
  );
  const monthRows = use.months.map((m) => ({ ...m, label: monthLabel(m.month), product: products.get(m.product_id) }));
  return {
    contract,
    lines: lineRows,
    use,
    plannedCut: plannedUntil < contract.valid_until ? plannedUntil : null,
    forecast,
    ceilingBars,
    monthBars,
    monthRows,
    subsidy: contract.kind === "subsidie",
  };
}

// --- Writing contracts ------------------------------------------------------------------------

export type ContractInput = Omit<repo.ContractFields, "purchaser_id" | "provider_id"> & {
  purchaser_id: number | null;
  provider_id: number | null;
};

/** The rules a contract obeys beyond its single fields. */
async function checkContract(db: Knex, input: repo.ContractFields, id: number | null): Promise<void> {
  const errors: Record<string, string> = {};
  if (input.valid_until < input.valid_from) errors.valid_until = "errors.endAfterStart";
  if ((await repo.organisationKind(db, input.provider_id)) !== "provider") errors.provider_id = "errors.choice";
  if ((await repo.organisationKind(db, input.purchaser_id)) !== "purchaser") errors.purchaser_id = "errors.choice";
  if (input.kind === "subsidie") {
    if (input.subsidy_amount_cents === null) errors.subsidy_amount = "contract.errors.subsidyAmountRequired";
    if (input.subsidy_target_dagdelen === null) errors.subsidy_target_dagdelen = "contract.errors.subsidyTargetRequired";
  }
  if (await repo.referenceTaken(db, input.purchaser_id, input.reference, id)) errors.reference = "contract.errors.referenceTaken";
  if (id !== null && !errors.valid_until) {
    const outside = (await repo.linesOf(db, [id])).filter((l) => l.valid_from < input.valid_from || l.valid_until > input.valid_until);
    if (outside.length > 0) errors.valid_from = "contract.errors.linesOutsidePeriod";
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

function fieldsFor(actor: Actor, input: ContractInput, existing?: repo.ContractRow): repo.ContractFields {
  // A purchaser's contracts are its own; only an admin chooses the purchaser. The provider of
  // an existing contract does not change: its lines and declarations belong to that pair.
  const purchaser_id = existing?.purchaser_id ?? (actor.role === "purchaser" ? actor.organisationId! : input.purchaser_id ?? -1);
  const provider_id = existing?.provider_id ?? input.provider_id ?? -1;
  const subsidy = input.kind === "subsidie";
  return {
    purchaser_id,
    provider_id,
    reference: input.reference,
    kind: input.kind,
    valid_from: input.valid_from,
    valid_until: input.valid_until,
    status: input.status,
    budget_ceiling_cents: subsidy ? null : input.budget_ceiling_cents,
    subsidy_amount_cents: subsidy ? input.subsidy_amount_cents : null,
    subsidy_target_dagdelen: subsidy ? input.subsidy_target_dagdelen : null,
    no_show_billable: input.no_show_billable,
    notes: input.notes,
  };
}

export async function createContract(db: Knex, clock: Clock, actor: Actor, input: ContractInput): Promise<number> {
  assertManager(actor);
  const fields = fieldsFor(actor, input);
  return db.transaction(async (trx) => {
    await checkContract(trx, fields, null);
    const at = timestamp(clock);
    const id = await repo.insertContract(trx, { ...fields, created_at: at, updated_at: at });
    await recordAudit(trx, clock, { userId: actor.userId, action: "create", entity: "contract", entityId: id, details: { ...fields } });
    return id;
  });
}

export async function updateContract(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number, input: ContractInput): Promise<void> {
  await db.transaction(async (trx) => {
    const existing = await repo.findContract(trx, scope, id);
    if (!existing) throw new NotFoundError("contract");
    assertManager(actor, existing);
    const fields = fieldsFor(actor, input, existing);
    await checkContract(trx, fields, id);
    await repo.updateContract(trx, id, { ...fields, updated_at: timestamp(clock) });
    await recordAudit(trx, clock, { userId: actor.userId, action: "update", entity: "contract", entityId: id, details: { ...fields } });
    if (existing.status !== fields.status) {
      await recordAudit(trx, clock, {
        userId: actor.userId,
        action: "change_status",
        entity: "contract",
        entityId: id,
        details: { from: existing.status, to: fields.status },
      });
    }
  });
}

// --- Writing lines ------------------------------------------------------------------------------

async function checkLine(db: Knex, contract: repo.ContractRow, input: repo.LineFields, lineId: number | null): Promise<void> {
  const errors: Record<string, string> = {};
  if (input.tariff_cents <= 0) errors.tariff = "contract.errors.tariffPositive";
  if (input.valid_until < input.valid_from) errors.valid_until = "errors.endAfterStart";
  else if (!periodContains(contract.valid_from, contract.valid_until, input.valid_from) || !periodContains(contract.valid_from, contract.valid_until, input.valid_until)) {
    errors.valid_from = "contract.errors.lineOutsideContract";
  }
  const product = (await repo.allProducts(db)).find((p) => p.id === input.product_id);
  if (!product) errors.product_id = "errors.choice";
  if (!errors.valid_until && product) {
    const overlapping = (await repo.linesOf(db, [contract.id])).find(
      (l) => l.id !== lineId && l.product_id === input.product_id && periodsOverlap(l.valid_from, l.valid_until, input.valid_from, input.valid_until),
    );
    if (overlapping) errors.valid_from = "contract.errors.lineOverlap";
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(errors);
}

export async function addLine(db: Knex, clock: Clock, actor: Actor, scope: Scope, contractId: number, input: repo.LineFields): Promise<number> {
  return db.transaction(async (trx) => {
    const contract = await repo.findContract(trx, scope, contractId);
    if (!contract) throw new NotFoundError("contract");
    assertManager(actor, contract);
    await checkLine(trx, contract, input, null);
    const at = timestamp(clock);
    const id = await repo.insertLine(trx, { ...input, contract_id: contractId, created_at: at, updated_at: at });
    await recordAudit(trx, clock, { userId: actor.userId, action: "create", entity: "contract_line", entityId: id, details: { contract_id: contractId, ...input } });
    return id;
  });
}

export async function changeLine(db: Knex, clock: Clock, actor: Actor, scope: Scope, lineId: number, input: repo.LineFields): Promise<number> {
  return db.transaction(async (trx) => {
    const line = await repo.findLine(trx, scope, lineId);
    if (!line) throw new NotFoundError("contract line");
    assertManager(actor, line.contract);
    await checkLine(trx, line.contract, input, lineId);
    await repo.updateLine(trx, lineId, { ...input, updated_at: timestamp(clock) });
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "update",
      entity: "contract_line",
      entityId: lineId,
      details: { contract_id: line.contract_id, before: { tariff_cents: line.tariff_cents, valid_from: line.valid_from, valid_until: line.valid_until }, ...input },
    });
    return line.contract_id;
  });
}

/** A line that priced a declaration stays: the declaration refers to it. */
export async function removeLine(db: Knex, clock: Clock, actor: Actor, scope: Scope, lineId: number): Promise<number> {
  return db.transaction(async (trx) => {
    const line = await repo.findLine(trx, scope, lineId);
    if (!line) throw new NotFoundError("contract line");
    assertManager(actor, line.contract);
    if (await repo.lineIsDeclared(trx, lineId)) throw new ValidationError({ _form: "contract.errors.lineDeclared" });
    await repo.deleteLine(trx, lineId);
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "delete",
      entity: "contract_line",
      entityId: lineId,
      details: { contract_id: line.contract_id, product_id: line.product_id, tariff_cents: line.tariff_cents, valid_from: line.valid_from, valid_until: line.valid_until },
    });
    return line.contract_id;
  });
}

// --- The purchaser's overviews -----------------------------------------------------------------

/** Per provider the tariff of each product valid on `date`, side by side (see compareTariffs). */
export async function tariffComparison(db: Knex, scope: Scope, date: string) {
  const contracts = await repo.listContracts(db, scope);
  const [lines, products] = await Promise.all([repo.linesOf(db, contracts.map((c) => c.id)), repo.allProducts(db)]);
  return compareTariffs(contracts, lines, products, date);
}

