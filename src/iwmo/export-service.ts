import type { Knex } from "knex";
import { DateTime } from "luxon";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { scopeAllocations } from "../clients/scope";
import { today, ZONE, type Clock } from "../domain/clock";
import { ForbiddenError, NotFoundError, ValidationError } from "../domain/errors";
import { eenheidOfProduct } from "./codes";
import { wmo301For, wmo301Problems, type ExportInput } from "./export";
import { validateIwmo } from "./schema";
import { buildWmo301 } from "./wmo301";

// A gemeente's WMO301 for one allocation: the client and every allocation of it from that
// gemeente at that provider that is valid today or later (iWmo sends them together), this one
// always included. For testing the round trip: dagdeel's export must import as itself.

type AllocationForExport = {
  id: number;
  reference: string;
  volume: number;
  frequency: "week" | "maand" | "totaal";
  valid_from: string;
  valid_until: string | null;
  created_at: string;
  unit: string;
  iwmo_category: string | null;
  iwmo_code: string | null;
  iwmo_unit: string | null;
};

/** "DGT000000042": the BerichtIdentificatie of the export of allocation 42 (12 characters). */
export const exportIdentificatie = (allocationId: number) => `DGT${String(allocationId).padStart(9, "0")}`;

/** The WMO301 of an allocation; it carries the full BSN, so each download is audited. */
export async function exportWmo301(db: Knex, clock: Clock, actor: Actor, scope: Scope, allocationId: number): Promise<{ fileName: string; xml: string }> {
  if (scope.actor.role !== "purchaser") throw new ForbiddenError("only a gemeente exports its allocations");
  const a = await scopeAllocations(scope, db("allocations as a").where("a.id", allocationId).first("a.*"));
  if (!a) throw new NotFoundError("allocation");
  const [purchaser, provider, client] = await Promise.all([
    db("organisations").where({ id: a.purchaser_id }).first("subkind", "gemeentecode"),
    db("organisations").where({ id: a.provider_id }).first("agb_code"),
    db("clients as c").leftJoin("villages as v", "v.id", "c.village_id").where("c.id", a.client_id).first("c.bsn", "c.first_name", "c.last_name", "c.birth_date", "c.street", "c.postcode", "v.name as village"),
  ]);
  if (purchaser?.subkind !== "gemeente") throw new ForbiddenError("iWmo is the gemeente's standard");
  const date = today(clock);
  const rows: AllocationForExport[] = await db("allocations as a")
    .join("products as p", "p.id", "a.product_id")
    .where({ "a.client_id": a.client_id, "a.purchaser_id": a.purchaser_id, "a.provider_id": a.provider_id })
    .where((w) => w.where("a.id", a.id).orWhereNull("a.valid_until").orWhere("a.valid_until", ">=", date))
    .select("a.id", "a.reference", "a.volume", "a.frequency", "a.valid_from", "a.valid_until", "a.created_at", "p.unit", "p.iwmo_category", "p.iwmo_code", "p.iwmo_unit")
    .orderBy("a.valid_from");
  const input: ExportInput = {
    gemeentecode: purchaser.gemeentecode,
    agb: provider?.agb_code ?? null,
    identificatie: exportIdentificatie(a.id),
    dagtekening: date,
    client,
    allocations: rows.map((r) => {
      const decided = DateTime.fromISO(r.created_at, { zone: "utc" }).setZone(ZONE);
      return {
        reference: r.reference,
        iwmo_category: r.iwmo_category,
        iwmo_code: r.iwmo_code,
        eenheid: eenheidOfProduct(r),
        volume: r.volume,
        frequency: r.frequency,
        valid_from: r.valid_from,
        valid_until: r.valid_until,
        decided_on: decided.isValid ? decided.toISODate()! : r.valid_from,
        decided_at: decided.isValid ? decided.toFormat("HH:mm:ss") : "00:00:00",
      };
    }),
  };
  const problems = wmo301Problems(input);
  if (problems.length > 0) throw new ValidationError(Object.fromEntries(problems.map((p) => [p, `iwmo.export.${p}`])));
  const xml = buildWmo301(wmo301For(input));
  const checked = await validateIwmo("WMO301", xml);
  if (!checked.valid) throw new ValidationError({ _form: "iwmo.outgoing.schema" });
  await recordAudit(db, clock, { userId: actor.userId, action: "download", entity: "allocation", entityId: a.id, details: { format: "wmo301", bericht: input.identificatie, allocations: rows.map((r) => r.id) } });
  return { fileName: `WMO301-${input.identificatie}.xml`, xml };
}
