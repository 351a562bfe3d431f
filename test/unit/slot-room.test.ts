import { expect } from "chai";
import fc from "fast-check";
import { capacityCheck } from "../../src/domain/booking-rules";
import { addDays } from "../../src/domain/dates";
import { occupancyCells } from "../../src/domain/occupancy";
import { expandSchedule } from "../../src/domain/schedule";
import { slotRoom } from "../../src/domain/slot-room";
import { dateArb, occupancyInputsArb, parityArb } from "../support/arbitraries";

// The schedule form's room table (slotRoom) must say what the booking would: a slot shown with
// free places is one the capacity check lets through every week of the window (in the chosen
// rhythm), a slot shown full is refused on exactly its first full date, and "not open" means
// the booking finds no open date at all. Held to capacityCheck on random locations.

describe("slotRoom: the schedule form's free places agree with the booking's capacity check", () => {
  it("free ⇔ no full date; the first full date is the check's first; never open ⇔ no open occurrence", () => {
    fc.assert(
      fc.property(occupancyInputsArb, dateArb, fc.integer({ min: 0, max: 60 }), parityArb, fc.constantFrom(null, 1, 2, 3, 4), (inputs, from, length, parity, clientId) => {
        const until = addDays(from, length);
        const cells = occupancyCells(inputs, from, until).filter((c) => c.location_id === 1);
        const byKey = new Map(cells.map((c) => [`${c.date}|${c.dagdeel}`, c]));
        const rooms = slotRoom(cells, clientId, { valid_from: from, week_parity: parity });
        for (const room of rooms) {
          const pattern = { valid_from: from, valid_until: until, week_parity: parity, slots: [{ weekday: room.weekday, dagdeel: room.dagdeel }] };
          const closed = (date: string, dagdeel: string) => byKey.get(`${date}|${dagdeel}`)?.closed ?? false;
          const occurrences = expandSchedule(pattern, from, until, closed);
          const { full, notOpen } = capacityCheck(occurrences, (d, dd) => byKey.get(`${d}|${dd}`), clientId ?? -1);
          const open = occurrences.length - notOpen.length;
          expect(room.openDates).to.equal(open);
          if (open === 0) expect(room.leastFree).to.equal(null);
          else expect(room.leastFree! > 0).to.equal(full.length === 0);
          expect(room.firstFull).to.equal(full[0]?.date ?? null);
        }
      }),
      { numRuns: 150 },
    );
  });

  it("counts the fewest free places and the closures left out", () => {
    const cell = (date: string, places: number, booked: number[], closed = false) => ({
      location_id: 1, date, dagdeel: "ochtend" as const, places, open: places > 0, closed, closureReasons: [], scheduledClientIds: booked, extraClientIds: [], booked: booked.length, free: places - booked.length,
    });
    // Mondays 2026-11-23, -30, 12-07: 3 free, closed, 1 free (the client's own place not counted).
    const [room] = slotRoom([cell("2026-11-23", 3, []), cell("2026-11-30", 3, [], true), cell("2026-12-07", 2, [7, 8])], 8, { valid_from: "2026-11-23", week_parity: "elke" });
    expect(room).to.deep.equal({ weekday: 1, dagdeel: "ochtend", openDates: 2, leastFree: 1, firstFull: null, closedDates: 1 });
  });
});
