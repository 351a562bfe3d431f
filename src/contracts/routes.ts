import { Router, type Request, type Response } from "express";
import type { Knex } from "knex";
import { DateTime } from "luxon";
import { z } from "zod";
import { actorOf, requireRole } from "../auth/middleware";
import { today, type Clock } from "../domain/clock";
import { dateProblem } from "../domain/date-window";
import { NotFoundError } from "../domain/errors";
import { checkbox, choice, id, isoDate, optionalId, optionalText, parseId, requiredText } from "../web/fields";
import { onInvalid, onInvalidBackTo } from "../web/errors";
import { keptInput, parseForm, shownErrors, validValue, type FieldErrors } from "../web/forms";

/** An empty error map shows no summary: handlebars takes {} for true. */
import { flash } from "../web/locals";
import { paging, urlWithParams } from "../web/pagination";
import { centsForField, optionalCount, optionalPositiveEuro, requiredEuro } from "./fields";
import * as repo from "./repository";
import {
  addLine,
  canManage,
  changeLine,
  contractPage,
  CONTRACTS_PER_PAGE,
  contractsOverview,
  createContract,
  findVisibleContract,
  removeLine,
  SORT_KEYS,
  tariffComparison,
  updateContract,
  type SortKey,
} from "./service";
import { spendingPerVillage, VILLAGE_GROUPINGS, type VillageGrouping } from "./villages";

const contractSchema = z.object({
  purchaser_id: optionalId(),
  provider_id: optionalId(),
  reference: requiredText(60),
  kind: choice(repo.CONTRACT_KINDS),
  valid_from: isoDate(),
  valid_until: isoDate(),
  status: choice(repo.CONTRACT_STATUSES),
  budget_ceiling: optionalPositiveEuro(),
  subsidy_amount: optionalPositiveEuro(),
  subsidy_target_dagdelen: optionalCount(),
  no_show_billable: checkbox(),
  notes: optionalText(2000),
});

const lineSchema = z.object({
  product_id: id(),
  tariff: requiredEuro(),
  volume_ceiling: optionalCount(),
  valid_from: isoDate(),
  valid_until: isoDate(),
});

const managers = requireRole("purchaser", "admin");

/** Purchase agreements: read within the scope, written by their purchaser (or an admin). */
export function contractRoutes(deps: { db: Knex; clock: Clock }): Router {
  const router = Router();
  const { db, clock } = deps;

  // --- list and overviews ---------------------------------------------------------------

  router.get("/", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const sort: SortKey = (SORT_KEYS as readonly string[]).includes(String(req.query.sort)) ? (req.query.sort as SortKey) : "period";
    const dir = req.query.dir === "asc" || req.query.dir === "desc" ? req.query.dir : sort === "period" ? "desc" : "asc";
    // ?jaar=2027, ?jaar=alle; without it the current year.
    const date = today(clock);
    const askedYear = typeof req.query.jaar === "string" ? req.query.jaar : "";
    const year = askedYear === "alle" ? null : /^\d{4}$/.test(askedYear) ? Number(askedYear) : Number(date.slice(0, 4));
    const requested = parseId(req.query.pagina);
    const overview = await contractsOverview(db, scope, date, sort, dir, { year, page: requested ?? 1 });
    const params = { jaar: year === null ? "alle" : year === Number(date.slice(0, 4)) ? null : year, sort: req.query.sort === undefined ? null : sort, dir: req.query.dir === undefined ? null : dir };
    const columns = SORT_KEYS.filter((k) => !(k === "purchaser" && actor.role === "purchaser") && !(k === "provider" && actor.role === "provider")).map((key) => ({
      key,
      current: key === sort,
      ariaSort: key === sort ? (dir === "asc" ? "ascending" : "descending") : null,
      nextDir: key === sort && dir === "asc" ? "desc" : "asc",
      num: ["realised", "forecast", "use"].includes(key),
      href: urlWithParams("/contracten", { jaar: params.jaar, sort: key, dir: key === sort && dir === "asc" ? "desc" : "asc" }),
    }));
    res.render("contracts/index", {
      title: "contract.title",
      ...overview,
      paging: paging("/contracten", params, overview.page, overview.total, CONTRACTS_PER_PAGE),
      yearOptions: [{ value: "alle", key: "contract.allYears" }, ...overview.years.map((y) => ({ value: String(y), text: String(y) }))],
      yearValue: year === null ? "alle" : String(year),
      columns,
      showPurchaser: actor.role !== "purchaser",
      showProvider: actor.role !== "provider",
      canCreate: canManage(actor),
      isPurchaser: actor.role === "purchaser",
    });
  });

  // ?datum=2027-01-01 compares the tariffs valid that day; without it, today's.
  router.get("/tarieven", requireRole("purchaser"), async (req, res) => {
    const { scope } = actorOf(req);
    const asked = typeof req.query.datum === "string" ? req.query.datum.trim() : "";
    const date = asked === "" ? today(clock) : asked;
    const problem = dateProblem(date);
    if (problem) {
      return res.status(422).render("contracts/tariffs", { title: "contract.tariffsTitle", values: { datum: asked }, errors: { datum: problem }, rows: [], products: [], stats: [], span: 1 });
    }
    const comparison = await tariffComparison(db, scope, date);
    res.render("contracts/tariffs", { title: "contract.tariffsTitle", values: { datum: date }, errors: null, validOn: date, ...comparison, span: comparison.products.length + 1 });
  });

  router.get("/dorpen", requireRole("purchaser"), async (req, res) => {
    const { scope } = actorOf(req);
    const date = today(clock);
    const values = {
      from: typeof req.query.van === "string" ? req.query.van : `${date.slice(0, 4)}-01-01`,
      until: typeof req.query.tot === "string" ? req.query.tot : date,
      // By the client's village unless the facility's is asked for.
      per: typeof req.query.per === "string" && req.query.per !== "" ? req.query.per : "client",
    };
    const errors: FieldErrors = {};
    const fromProblem = dateProblem(values.from);
    const untilProblem = dateProblem(values.until);
    if (fromProblem) errors.van = fromProblem;
    if (untilProblem) errors.tot = untilProblem;
    else if (!errors.van && values.until < values.from) errors.tot = "errors.endAfterStart";
    if (!(VILLAGE_GROUPINGS as readonly string[]).includes(values.per)) errors.per = "errors.choice";
    const view = { title: "contract.villagesTitle", values, groupings: VILLAGE_GROUPINGS.map((g) => ({ value: g, key: `contract.villagesBy.${g}`, checked: g === values.per })) };
    if (Object.keys(errors).length > 0) {
      return res.status(422).render("contracts/villages", { ...view, errors, rows: [], total: null });
    }
    const spending = await spendingPerVillage(db, scope, values.from, values.until, values.per as VillageGrouping, date);
    res.render("contracts/villages", { ...view, errors: null, ...spending });
  });

  // --- contracts ------------------------------------------------------------------------

  async function renderContractForm(req: Request, res: Response, status: number, values: Record<string, unknown>, errors: FieldErrors, contract?: repo.ContractRow) {
    const { actor } = actorOf(req);
    const [providers, purchasers] = await Promise.all([repo.organisationsOfKind(db, "provider"), repo.organisationsOfKind(db, "purchaser")]);
    res.status(status).render("contracts/form", {
      title: contract ? "contract.editTitle" : "contract.newTitle",
      contract,
      values,
      errors: shownErrors(errors),
      choosePurchaser: !contract && actor.role === "admin",
      providers: providers.map((p) => ({ value: p.id, text: p.name })),
      purchasers: purchasers.map((p) => ({ value: p.id, text: p.name })),
      kinds: repo.CONTRACT_KINDS.map((k) => ({ value: k, key: `contractKinds.${k}` })),
      statuses: repo.CONTRACT_STATUSES.map((s) => ({ value: s, key: `contractStatus.${s}` })),
    });
  }

  async function saveContract(req: Request, res: Response, contract?: repo.ContractRow) {
    const { actor, scope } = actorOf(req);
    onInvalid(res, (err) => renderContractForm(req, res, 422, keptInput(req.body), err.fields, contract));
    const v = validValue(parseForm(contractSchema, req.body));
    const input = {
      purchaser_id: v.purchaser_id,
      provider_id: v.provider_id,
      reference: v.reference,
      kind: v.kind,
      valid_from: v.valid_from,
      valid_until: v.valid_until,
      status: v.status,
      budget_ceiling_cents: v.budget_ceiling,
      subsidy_amount_cents: v.subsidy_amount,
      subsidy_target_dagdelen: v.subsidy_target_dagdelen,
      no_show_billable: v.no_show_billable,
      notes: v.notes,
    };
    const id = contract ? (await updateContract(db, clock, actor, scope, contract.id, input), contract.id) : await createContract(db, clock, actor, input);
    flash(req, "success", contract ? "contract.saved" : "contract.created", { reference: v.reference });
    res.redirect(303, `/contracten/${id}`);
  }

  router.get("/nieuw", managers, async (req, res) => {
    const year = today(clock).slice(0, 4);
    await renderContractForm(req, res, 200, { kind: "inkoop", status: "concept", valid_from: `${year}-01-01`, valid_until: `${year}-12-31` }, {});
  });

  router.post("/", managers, (req, res) => saveContract(req, res));

  // --- lines ----------------------------------------------------------------------------

  async function renderLineForm(res: Response, status: number, contract: repo.ContractRow, values: Record<string, unknown>, errors: FieldErrors, lineId?: number) {
    const products = await repo.activeProducts(db);
    res.status(status).render("contracts/line-form", {
      title: lineId ? "contract.editLineTitle" : "contract.newLineTitle",
      contract,
      lineId,
      values,
      errors: shownErrors(errors),
      products: products.map((p) => ({ value: p.id, text: `${p.code} — ${p.name}` })),
    });
  }

  async function saveLine(req: Request, res: Response, contract: repo.ContractRow, lineId?: number) {
    const { actor, scope } = actorOf(req);
    onInvalid(res, (err) => renderLineForm(res, 422, contract, keptInput(req.body), err.fields, lineId));
    const v = validValue(parseForm(lineSchema, req.body));
    const input = {
      product_id: v.product_id,
      tariff_cents: v.tariff,
      volume_ceiling: v.volume_ceiling,
      valid_from: v.valid_from,
      valid_until: v.valid_until,
    };
    if (lineId) await changeLine(db, clock, actor, scope, lineId, input);
    else await addLine(db, clock, actor, scope, contract.id, input);
    flash(req, "success", "contract.lineSaved");
    res.redirect(303, `/contracten/${contract.id}#regels`);
  }

  async function managedLine(req: Request) {
    const { actor, scope } = actorOf(req);
    const lineId = parseId(req.params.lineId);
    const line = lineId ? await repo.findLine(db, scope, lineId) : undefined;
    if (!line || !lineId) throw new NotFoundError("contract line");
    if (!canManage(actor, line.contract)) throw new NotFoundError("contract line");
    return line;
  }

  router.get("/regels/:lineId/wijzigen", managers, async (req, res) => {
    const line = await managedLine(req);
    await renderLineForm(
      res,
      200,
      line.contract,
      {
        product_id: line.product_id,
        tariff: centsForField(line.tariff_cents),
        volume_ceiling: line.volume_ceiling ?? "",
        valid_from: line.valid_from,
        valid_until: line.valid_until,
      },
      {},
      line.id,
    );
  });

  router.post("/regels/:lineId", managers, async (req, res) => {
    const line = await managedLine(req);
    await saveLine(req, res, line.contract, line.id);
  });

  router.post("/regels/:lineId/verwijderen", managers, async (req, res) => {
    const { actor, scope } = actorOf(req);
    const line = await managedLine(req);
    onInvalidBackTo(req, res, `/contracten/${line.contract_id}#regels`);
    await removeLine(db, clock, actor, scope, line.id);
    flash(req, "success", "contract.lineDeleted");
    res.redirect(303, `/contracten/${line.contract_id}#regels`);
  });

  // --- one contract ---------------------------------------------------------------------

  async function visible(req: Request): Promise<repo.ContractRow> {
    const { scope } = actorOf(req);
    const contractId = parseId(req.params.id);
    if (!contractId) throw new NotFoundError("contract");
    return findVisibleContract(db, scope, contractId);
  }

  /** A contract the actor may change; someone who may only read it is refused (403). */
  async function managed(req: Request): Promise<repo.ContractRow> {
    const { actor } = actorOf(req);
    const contract = await visible(req);
    if (!canManage(actor, contract)) throw new NotFoundError("contract");
    return contract;
  }

  router.get("/:id", async (req, res) => {
    const { actor, scope } = actorOf(req);
    const contractId = parseId(req.params.id);
    if (!contractId) throw new NotFoundError("contract");
    const locale = res.locals.locale === "en" ? "en-GB" : "nl-NL";
    const monthLabel = (month: string) => DateTime.fromISO(`${month}-01`).setLocale(locale).toFormat("LLL yyyy");
    const page = await contractPage(db, scope, contractId, today(clock), monthLabel);
    res.render("contracts/show", {
      title: "contract.title",
      heading: page.contract.reference,
      ...page,
      today: today(clock),
      canManage: canManage(actor, page.contract),
    });
  });

  router.get("/:id/wijzigen", managers, async (req, res) => {
    const contract = await managed(req);
    await renderContractForm(
      req,
      res,
      200,
      {
        ...contract,
        budget_ceiling: centsForField(contract.budget_ceiling_cents),
        subsidy_amount: centsForField(contract.subsidy_amount_cents),
        subsidy_target_dagdelen: contract.subsidy_target_dagdelen ?? "",
        no_show_billable: contract.no_show_billable ? "1" : "",
        notes: contract.notes ?? "",
      },
      {},
      contract,
    );
  });

  router.post("/:id", managers, async (req, res) => {
    const contract = await managed(req);
    await saveContract(req, res, contract);
  });

  router.get("/:id/regels/nieuw", managers, async (req, res) => {
    const contract = await managed(req);
    await renderLineForm(res, 200, contract, { valid_from: contract.valid_from, valid_until: contract.valid_until }, {});
  });

  router.post("/:id/regels", managers, async (req, res) => {
    const contract = await managed(req);
    await saveLine(req, res, contract);
  });

  return router;
}
