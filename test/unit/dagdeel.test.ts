import { expect } from "chai";
import { dagdeelInterval, dagdeelTimesProblems, DEFAULT_DAGDEEL_TIMES } from "../../src/domain/dagdeel";

describe("dagdeel clock times in Europe/Amsterdam", () => {
  it("a winter morning 09:30 is 08:30 UTC, a summer one 07:30 UTC", () => {
    const winter = dagdeelInterval("2026-01-15", "ochtend", DEFAULT_DAGDEEL_TIMES);
    expect(winter.start.toUTC().toISO()).to.equal("2026-01-15T08:30:00.000Z");
    const summer = dagdeelInterval("2026-07-15", "ochtend", DEFAULT_DAGDEEL_TIMES);
    expect(summer.start.toUTC().toISO()).to.equal("2026-07-15T07:30:00.000Z");
  });

  it("keeps the wall-clock time on both sides of the March and October changes", () => {
    for (const date of ["2026-03-28", "2026-03-29", "2026-03-30", "2026-10-24", "2026-10-25", "2026-10-26"]) {
      const { start, end } = dagdeelInterval(date, "middag", DEFAULT_DAGDEEL_TIMES);
      expect(start.toFormat("yyyy-MM-dd HH:mm"), date).to.equal(`${date} 13:30`);
      expect(end.toFormat("HH:mm")).to.equal("16:30");
      expect(start.zoneName).to.equal("Europe/Amsterdam");
    }
    expect(dagdeelInterval("2026-03-28", "ochtend", DEFAULT_DAGDEEL_TIMES).start.offset).to.equal(60);
    expect(dagdeelInterval("2026-03-30", "ochtend", DEFAULT_DAGDEEL_TIMES).start.offset).to.equal(120);
  });

  it("checks a location's times", () => {
    expect(dagdeelTimesProblems(DEFAULT_DAGDEEL_TIMES)).to.deep.equal({});
    expect(dagdeelTimesProblems({ ...DEFAULT_DAGDEEL_TIMES, morning_start: "9:30" })).to.have.property("morning_start");
    expect(dagdeelTimesProblems({ ...DEFAULT_DAGDEEL_TIMES, morning_end: "09:00" })).to.have.property("morning_end");
    expect(dagdeelTimesProblems({ ...DEFAULT_DAGDEEL_TIMES, afternoon_start: "12:00" })).to.have.property("afternoon_start");
    expect(dagdeelTimesProblems({ ...DEFAULT_DAGDEEL_TIMES, afternoon_end: "25:00" })).to.have.property("afternoon_end");
  });
});
