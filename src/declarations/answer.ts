import type { Knex } from "knex";
import { recordAudit } from "../audit/repository";
import type { Scope } from "../auth/scope";
import type { Actor } from "../auth/types";
import { timestamp, type Clock } from "../domain/clock";
import { signed, totaal, iwmoMessageOf, XmlReadError } from "../domain/iwmo-xml";
import { ValidationError } from "../domain/errors";
import { buildWmo325, readWmo325, wmo325Problems, type Wmo325Input } from "../domain/wmo325";
import { validateWmo325 } from "../iwmo/schema";
import { withdrawnLines } from "./compute";
import { finaliseIfComplete } from "./decisions";
import { dateOf, declarationNumber, lineReference, prestatieOf, signedOn } from "./exports";
import * as repo from "./repository";
import { assertProvider, visible } from "./service";

// The purchaser's answer as an iWmo WMO325: written from an answered declaration, and read
// from a file a provider received from a gemeente that does not use dagdeel. An upload is
// checked from the outside in — is it XML, is it a WMO325, does it pass the schema, does it
// answer this declaration, from this gemeente, about these prestaties and these totals — and
// changes nothing until every check has passed; then it is applied in one transaction.

export const answerNumber = (id: number) => `DGA${String(id).padStart(6, "0")}`;

export async function wmo325For(db: Knex, d: repo.DeclarationRow, today: string): Promise<{ xml: string } | { problems: string[] }> {
  const lines = await repo.linesOf(db, [d.id]);
  const withdrawn = await withdrawnLines(db, d);
  const input: Wmo325Input = {
    berichtIdentificatie: answerNumber(d.id),
    dagtekening: d.decided_at ? dateOf(d.decided_at) : today,
    afzenderGemeentecode: d.purchaser_gemeentecode ?? "",
    ontvangerAgb: d.provider_agb ?? "",
    declaratieIdentificatie: declarationNumber(d.id),
    declaratieDagtekening: signedOn(d, today),
    declaratieNummer: declarationNumber(d.id),
    totaalIngediend: totaal(lines.map((l) => ({ bedragCents: l.amount_cents, debetCredit: l.debit_credit }))),
    totaalToegekend: totaal([{ bedragCents: Math.abs(d.awarded_cents ?? 0), debetCredit: (d.awarded_cents ?? 0) < 0 ? "C" : "D" }]),
    afgewezen: lines.filter((l) => l.decision === "afgewezen").map((l) => ({ ...prestatieOf(l, withdrawn), retourcodes: l.retourcodes })),
  };
  const problems = wmo325Problems(input);
  return problems.length > 0 ? { problems } : { xml: buildWmo325(input) };
}

/** A refused upload: the field message and what it names. */
const refuse = (key: string, params: Record<string, string | number> = {}) => new ValidationError({ bestand: `declaration.upload.errors.${key}` }, params);

async function parsed(file: Buffer | null): Promise<ReturnType<typeof readWmo325>> {
  if (!file || file.length === 0) throw refuse("noFile");
  const xml = file.toString("utf8");
  let kind: string | null;
  try {
    kind = iwmoMessageOf(xml);
  } catch {
    throw refuse("notXml");
  }
  if (kind === null) throw refuse("notIwmo");
  if (kind !== "WMO325") throw refuse("wrongMessage", { found: kind });
  const schema = await validateWmo325(xml);
  if (!schema.valid) {
    const first = schema.problems[0];
    throw refuse("schema", { line: first?.line ?? "?", problem: first?.message ?? "" });
  }
  try {
    return readWmo325(xml);
  } catch (err) {
    if (err instanceof XmlReadError) throw refuse("schema", { line: "?", problem: err.message });
    throw err;
  }
}

/** Applies a WMO325 a provider received to its submitted declaration. */
export async function uploadWmo325(db: Knex, clock: Clock, actor: Actor, scope: Scope, id: number, file: Buffer | null): Promise<{ refused: number }> {
  assertProvider(actor, await visible(db, scope, id));
  const answer = await parsed(file);
  return db.transaction(async (trx) => {
    const d = await visible(trx, scope, id);
    const number = declarationNumber(d.id);
    if (answer.declaratieNummer !== number || answer.declaratieIdentificatie !== number) {
      throw refuse("otherDeclaration", { found: answer.declaratieNummer === number ? answer.declaratieIdentificatie : answer.declaratieNummer, expected: number });
    }
    if (answer.afzenderGemeentecode !== d.purchaser_gemeentecode) throw refuse("otherGemeente", { found: answer.afzenderGemeentecode, expected: d.purchaser_gemeentecode ?? "" });
    if (answer.ontvangerAgb !== d.provider_agb) throw refuse("otherProvider", { found: answer.ontvangerAgb, expected: d.provider_agb ?? "" });
    if (d.status !== "ingediend") throw refuse("notAwaiting");
    const lines = await repo.linesOf(trx, [d.id]);
    if (lines.some((l) => l.decision !== null)) throw refuse("alreadyDecided");
    const byReference = new Map(lines.map((l) => [lineReference(l.id), l]));
    const withdrawn = await withdrawnLines(trx, d);
    for (const p of answer.afgewezen) {
      const line = byReference.get(p.referentieNummer);
      if (!line) throw refuse("unknownPrestatie", { reference: p.referentieNummer });
      const ours = prestatieOf(line, withdrawn);
      if (ours.bedragCents !== p.bedragCents || ours.geleverdVolume !== p.geleverdVolume || ours.debetCredit !== p.debetCredit || ours.bsn !== p.bsn) {
        throw refuse("prestatieDiffers", { reference: p.referentieNummer });
      }
    }
    const ingediend = lines.reduce((s, l) => s + signed(l.amount_cents, l.debit_credit), 0);
    if (signed(answer.totaalIngediend.bedrag, answer.totaalIngediend.debetCredit) !== ingediend) throw refuse("totalDiffers");
    const refusedRefs = new Set(answer.afgewezen.map((p) => p.referentieNummer));
    const awarded = lines.filter((l) => !refusedRefs.has(lineReference(l.id))).reduce((s, l) => s + signed(l.amount_cents, l.debit_credit), 0);
    if (signed(answer.totaalToegekend.bedrag, answer.totaalToegekend.debetCredit) !== awarded) throw refuse("awardedDiffers");
    if ((refusedRefs.size === 0) !== answer.retourcodes.includes("8001")) throw refuse("fullyApprovedMismatch");

    const at = timestamp(clock);
    const note = `WMO325 ${answer.berichtIdentificatie} (${answer.dagtekening})`;
    for (const p of answer.afgewezen) {
      await repo.decideLines(trx, d.id, [byReference.get(p.referentieNummer)!.id], { decision: "afgewezen", retourcodes: p.retourcodes, note }, at);
    }
    await repo.decideLines(trx, d.id, lines.filter((l) => !refusedRefs.has(lineReference(l.id))).map((l) => l.id), { decision: "toegekend", retourcodes: [], note: null }, at);
    await recordAudit(trx, clock, {
      userId: actor.userId,
      action: "upload_answer",
      entity: "declaration",
      entityId: d.id,
      details: { bericht: answer.berichtIdentificatie, dagtekening: answer.dagtekening, refused: answer.afgewezen.map((p) => ({ reference: p.referentieNummer, retourcodes: p.retourcodes })) },
    });
    await finaliseIfComplete(trx, clock, actor, d.id, "wmo325");
    return { refused: refusedRefs.size };
  });
}
