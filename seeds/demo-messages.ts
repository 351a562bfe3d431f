import type { Knex } from "knex";
import type { Clock } from "../src/domain/clock";
import { toDateTime } from "../src/domain/dates";
import { addWorkingDays } from "../src/domain/working-days";
import { refreshAllocation, refreshIwmoMessages } from "../src/iwmo/messages-service";
import { berichtIdentificatie, outgoingProblems, outgoingXml } from "../src/iwmo/outgoing";
import { findMessageDetail } from "../src/iwmo/messages-repository";

// The demo's WMO305/307: first every gemeente allocation's start and stop from the demo's
// attendance and schedules (the same hook every change calls), then what a provider that keeps
// up would have sent by the month before last: every message due before the first of last month,
// each sent two working days after it became due. What happened since is left open: due now,
// some of it overdue (a stop in October nobody reported), as on a real Monday.

export async function seedMessages(trx: Knex.Transaction, clock: Clock, today: string, senders: Map<number, number>): Promise<void> {
  const clients: { client_id: number }[] = await trx("allocations as a")
    .join("organisations as pu", "pu.id", "a.purchaser_id")
    .where("pu.subkind", "gemeente")
    .distinct("a.client_id")
    .orderBy("a.client_id");
  for (const { client_id } of clients) await refreshIwmoMessages(trx, clock, client_id);

  // A sent start can make its stop due, and that stop may be long past too: repeat until settled.
  const cutoff = toDateTime(today).minus({ months: 1 }).startOf("month").toISODate()!;
  for (;;) {
    const due: { id: number; allocation_id: number; provider_id: number; due_on: string }[] = await trx("iwmo_messages")
      .where("status", "open")
      .where("due_on", "<", cutoff)
      .orderBy([{ column: "due_on" }, { column: "kind", order: "desc" }, { column: "id" }])
      .select("id", "allocation_id", "provider_id", "due_on");
    if (due.length === 0) return;
    for (const m of due) {
      const detail = (await findMessageDetail(trx, null, m.id))!;
      const sentOn = addWorkingDays(m.due_on, 2);
      const identificatie = berichtIdentificatie(detail.kind, detail.id);
      await trx("iwmo_messages").where({ id: m.id }).update({
        status: "verzonden",
        bericht_identificatie: identificatie,
        dagtekening: sentOn,
        xml: outgoingProblems(detail).length === 0 ? outgoingXml(detail, sentOn, identificatie) : null,
        sent_at: `${sentOn}T09:30:00.000Z`,
        sent_by: senders.get(m.provider_id) ?? null,
      });
    }
    for (const allocationId of new Set(due.map((m) => m.allocation_id))) await refreshAllocation(trx, clock, allocationId);
  }
}
