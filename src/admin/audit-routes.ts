import { Router } from "express";
import type { Knex } from "knex";
import { DateTime } from "luxon";
import { z } from "zod";
import { searchAudit, type AuditFilter } from "../audit/repository";
import { auditEntities, presentAudit } from "../audit/present";
import { ZONE } from "../domain/clock";
import { addDays } from "../domain/dates";
import { optionalId, optionalIsoDate, optionalText } from "../web/fields";
import { keptInput, parseForm } from "../web/forms";
import { findUser } from "../users/repository";

export const AUDIT_PAGE_SIZE = 50;

const filterSchema = z
  .object({
    gebruiker: optionalId(),
    gebruikersnaam: optionalText(100),
    client: optionalId(),
    clientnaam: optionalText(100),
    soort: optionalText(60).refine((s) => s === null || auditEntities().includes(s), "errors.choice"),
    van: optionalIsoDate(),
    tot: optionalIsoDate(),
    voor: optionalId(),
  })
  .refine((f) => !f.van || !f.tot || f.van <= f.tot, { path: ["tot"], message: "errors.endAfterStart" });

/** The start of a day in Europe/Amsterdam as the UTC text the audit log stores. */
function startOfDayUtc(date: string): string {
  return DateTime.fromISO(date, { zone: ZONE }).startOf("day").toUTC().toISO()!;
}

/**
 * The admin reads the audit log: who changed what, and when — filtered by user, client, kind
 * and period, newest first, a page at a time. Users and clients are searched by part of their
 * name (a region has hundreds of users: no list of them all); ?gebruiker= and ?client= take an
 * id, for links from elsewhere.
 */
export function adminAuditRoutes(deps: { db: Knex }): Router {
  const router = Router();
  router.get("/", async (req, res) => {
    const form = parseForm(filterSchema, req.query);
    const entities = auditEntities().map((e) => ({ value: e, key: `auditEntities.${e}` }));
    const values = keptInput(req.query);
    if (!form.ok) {
      return res.status(422).render("admin/audit", { title: "audit.title", entities, values, errors: form.errors, entries: [] });
    }
    const f = form.value;
    const filter: AuditFilter = {
      userId: f.gebruiker,
      userName: f.gebruikersnaam,
      clientId: f.client,
      clientName: f.clientnaam,
      entity: f.soort,
      fromUtc: f.van ? startOfDayUtc(f.van) : null,
      untilUtc: f.tot ? startOfDayUtc(addDays(f.tot, 1)) : null,
      beforeId: f.voor,
    };
    const rows = await searchAudit(deps.db, filter, AUDIT_PAGE_SIZE + 1);
    const page = rows.slice(0, AUDIT_PAGE_SIZE);
    const entries = await presentAudit(deps.db, page);
    const query = (extra: Record<string, string>) => {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries({ ...values, ...extra })) if (v && k !== "voor") params.set(k, v);
      if (extra.voor) params.set("voor", extra.voor);
      const s = params.toString();
      return s ? `?${s}` : "";
    };
    res.render("admin/audit", {
      title: "audit.title",
      entities,
      values,
      entries,
      userFilter: f.gebruiker ? { name: entries.find((e) => e.userId === f.gebruiker)?.userName ?? (await findUser(deps.db, f.gebruiker))?.name ?? `#${f.gebruiker}` } : null,
      withoutUser: `/beheer/audit${query({ gebruiker: "" })}`,
      clientFilter: f.client ? (entries.find((e) => e.client?.id === f.client)?.client ?? { id: f.client, name: `#${f.client}` }) : null,
      older: rows.length > AUDIT_PAGE_SIZE ? `/beheer/audit${query({ voor: String(page[page.length - 1].id) })}` : null,
      newest: f.voor ? `/beheer/audit${query({})}` : null,
      withoutClient: `/beheer/audit${query({ client: "" })}`,
    });
  });
  return router;
}
