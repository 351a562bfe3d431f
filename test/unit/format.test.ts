import { expect } from "chai";
import { formatDate, formatDateTime, formatMonth, formatWeek } from "../../src/web/format";

describe("how pages show dates, months and times", () => {
  it("dates as Dutch users write them, English as d MMM yyyy", () => {
    expect(formatDate("2026-11-03", "nl")).to.equal("3-11-2026");
    expect(formatDate("2026-11-03", "en")).to.equal("3 Nov 2026");
    expect(formatDate(null, "nl")).to.equal("");
  });

  it("months by name", () => {
    expect(formatMonth("2026-10", "nl")).to.equal("oktober 2026");
    expect(formatMonth("2026-10", "en")).to.equal("October 2026");
    expect(formatMonth("not-a-month", "nl")).to.equal("not-a-month");
  });

  it("timestamps in Amsterdam wall-clock time, winter and summer", () => {
    expect(formatDateTime("2026-11-23T09:05:00.000Z", "nl")).to.equal("23-11-2026 10:05");
    expect(formatDateTime("2026-07-01T09:05:00.000Z", "nl")).to.equal("1-7-2026 11:05");
  });

  it("the ISO week a date falls in", () => {
    expect(formatWeek("2027-01-01", "nl")).to.equal("week 53, 2026");
  });
});
