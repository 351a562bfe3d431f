import { addDays } from "../domain/dates";
import type { Period } from "../domain/allocation";

// When a provider owes the gemeente a WMO305 (start) or WMO307 (stop) for an allocation. Pure:
// the caller brings the allocation's period, the client's end, the schedules that deliver it,
// the messages already sent and (for the attendance trigger) the first attended dagdeel since
// the last stop; this says which start and which stop are open now.
//
//   start  the first attended dagdeel under the allocation (or, by the gemeente's setting, the
//          first day a schedule under it runs) — after the last stop that was sent, so a
//          temporary stop (reden 20) is followed by a new start when care resumes
//   stop   the end of that delivery: the client's end, the allocation's end (early when its
//          schedules were planned to run on), or the end of the schedules under it, whichever
//          comes first — only once there is a start to stop

export type StartTrigger = "aanwezigheid" | "rooster";
export const START_TRIGGERS: readonly StartTrigger[] = ["aanwezigheid", "rooster"];

export type SentMessage = { kind: "start" | "stop"; start_date: string; end_date: string | null };

export type StopCause = "client" | "allocationShortened" | "allocationEnd" | "schedulesEnded";

/** The RedenBeeindiging a stop starts with; the provider may choose another before sending. */
export const DEFAULT_REASON: Record<StopCause, string> = {
  allocationEnd: "19", // levering volgens plan beëindigd
  allocationShortened: "36", // geïnitieerd door de gemeente
  schedulesEnded: "23", // in overeenstemming voortijdig beëindigd
  client: "23",
};

export type OpenStart = { start_date: string };
export type OpenStop = { start_date: string; end_date: string; cause: StopCause; reason: string };
export type DueMessages = { start: OpenStart | null; stop: OpenStop | null };

export type DeliveryInput = {
  allocation: Period;
  clientEndedOn: string | null;
  trigger: StartTrigger;
  /** The schedules that deliver the allocation (for a ride allocation: those of its dagdeel allocations). */
  schedules: Period[];
  /** Messages already sent for the allocation, in the order they were sent. */
  sent: SentMessage[];
  /** The first attended dagdeel under the allocation from episodeOf(...).from on, if any. */
  firstAttended: string | null;
};

/** Where the current delivery episode begins, and its start if that was already sent. */
export function episodeOf(sent: SentMessage[], allocation: Period): { from: string; startedOn: string | null } {
  let lastStop = -1;
  sent.forEach((m, i) => {
    if (m.kind === "stop") lastStop = i;
  });
  const afterStop = lastStop >= 0 && sent[lastStop].end_date ? addDays(sent[lastStop].end_date!, 1) : allocation.valid_from;
  const from = afterStop > allocation.valid_from ? afterStop : allocation.valid_from;
  const started = sent.slice(lastStop + 1).filter((m) => m.kind === "start");
  return { from, startedOn: started.length > 0 ? started[started.length - 1].start_date : null };
}

/** Schedules that run back to back (or overlap) as one block of delivery, in date order. */
export function deliveryBlocks(schedules: Period[]): Period[] {
  const sorted = [...schedules].sort((a, b) => a.valid_from.localeCompare(b.valid_from));
  const blocks: Period[] = [];
  for (const s of sorted) {
    const last = blocks[blocks.length - 1];
    if (last && (last.valid_until === null || s.valid_from <= addDays(last.valid_until, 1))) {
      if (last.valid_until !== null && (s.valid_until === null || s.valid_until > last.valid_until)) last.valid_until = s.valid_until;
    } else {
      blocks.push({ valid_from: s.valid_from, valid_until: s.valid_until });
    }
  }
  return blocks;
}

const earliest = (a: string | null, b: string | null): string | null => (a === null ? b : b === null ? a : a < b ? a : b);

export function deriveMessages(input: DeliveryInput): DueMessages {
  const { allocation, clientEndedOn } = input;
  const { from, startedOn } = episodeOf(input.sent, allocation);
  const limit = earliest(allocation.valid_until, clientEndedOn);
  const blocks = deliveryBlocks(input.schedules).filter((b) => b.valid_until === null || b.valid_until >= from);

  let startDate = startedOn;
  if (startDate === null) {
    if (input.trigger === "aanwezigheid") {
      startDate = input.firstAttended !== null && input.firstAttended >= from ? input.firstAttended : null;
    } else if (blocks.length > 0) {
      startDate = blocks[0].valid_from > from ? blocks[0].valid_from : from;
    }
    if (startDate !== null && limit !== null && startDate > limit) startDate = null;
  }
  if (startDate === null) return { start: null, stop: null };
  const start = startedOn === null ? { start_date: startDate } : null;

  // The block that delivers this episode: the first one still running on (or after) its start.
  const block = blocks.find((b) => b.valid_until === null || b.valid_until >= startDate!) ?? null;
  const candidates: { date: string; cause: StopCause }[] = [];
  if (clientEndedOn !== null) candidates.push({ date: clientEndedOn, cause: "client" });
  if (allocation.valid_until !== null) {
    const plannedOn = block !== null && (block.valid_until === null || block.valid_until > allocation.valid_until);
    candidates.push({ date: allocation.valid_until, cause: plannedOn ? "allocationShortened" : "allocationEnd" });
  }
  if (block?.valid_until) candidates.push({ date: block.valid_until, cause: "schedulesEnded" });
  if (candidates.length === 0) return { start, stop: null };
  // Earliest date wins; on the same date the order above (client, allocation, schedules) does.
  const first = candidates.reduce((best, c) => (c.date < best.date ? c : best));
  const end = first.date < startDate ? startDate : first.date;
  return { start, stop: { start_date: startDate, end_date: end, cause: first.cause, reason: DEFAULT_REASON[first.cause] } };
}
