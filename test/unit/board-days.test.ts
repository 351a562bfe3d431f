import { expect } from "chai";
import type { Dagdeel } from "../../src/domain/dagdeel";
import { addDays } from "../../src/domain/dates";
import type { OccupancyCell } from "../../src/domain/occupancy";
import { shownDates } from "../../src/planning/board-service";

// Which days the planning board shows: Monday to Friday always, Saturday and Sunday only when
// the location has places then or somebody comes.
const MONDAY = "2026-11-23";
const cell = (date: string, dagdeel: Dagdeel, places: number, booked = 0): OccupancyCell => ({
  location_id: 1, date, dagdeel, places, open: places > 0, closed: false, closureReasons: [], scheduledClientIds: [], extraClientIds: [], booked, free: Math.max(0, places - booked),
});
const week = (places: (d: number) => number, booked: (d: number) => number = () => 0) =>
  [0, 1, 2, 3, 4, 5, 6].flatMap((i) => (["ochtend", "middag"] as const).map((dd) => cell(addDays(MONDAY, i), dd, places(i), booked(i))));

describe("planning board: the days of a week", () => {
  it("Monday to Friday for a location open on weekdays only, even when a weekday has no places", () => {
    expect(shownDates(week((i) => (i < 4 ? 8 : 0)), MONDAY)).to.deep.equal(["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27"]);
  });

  it("adds Saturday when the location has places then, and Sunday too when it opens on Sundays", () => {
    expect(shownDates(week((i) => (i === 6 ? 0 : i === 5 ? 4 : 8)), MONDAY)).to.deep.equal([
      "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28",
    ]);
    expect(shownDates(week(() => 6), MONDAY)).to.have.length(7);
  });

  it("shows a weekend day without places when somebody still comes then (a schedule outlives a removed rule)", () => {
    expect(shownDates(week((i) => (i < 5 ? 8 : 0), (i) => (i === 6 ? 1 : 0)), MONDAY)).to.include("2026-11-29");
  });
});
