import { expect } from "chai";
import fc from "fast-check";
import { pageOf, paging } from "../../src/web/pagination";

// One way to clamp a page asked for: every paginated list (the waiting list, the home's lists,
// contracts, free places, the week overview, calendars) and the page links use pageOf.
describe("pagination: the page asked for, clamped to the pages there are", () => {
  it("gives page 1 of 1 for an empty list, the last page past the end, the first below it", () => {
    expect(pageOf(null, 0, 25)).to.deep.equal({ page: 1, pages: 1, offset: 0 });
    expect(pageOf(99, 30, 25)).to.deep.equal({ page: 2, pages: 2, offset: 25 });
    expect(pageOf(0, 30, 25)).to.deep.equal({ page: 1, pages: 2, offset: 0 });
    expect(pageOf(2, 50, 25)).to.deep.equal({ page: 2, pages: 2, offset: 25 });
  });

  it("always lands on a page that holds rows when there are any, and agrees with the page links (property)", () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: -5, max: 100 }), { nil: null }), fc.nat(500), fc.integer({ min: 1, max: 60 }), (requested, total, size) => {
        const p = pageOf(requested, total, size);
        expect(p.page).to.be.within(1, p.pages);
        if (total > 0) expect(p.offset).to.be.lessThan(total);
        const links = paging("/x", {}, requested, total, size);
        expect([links.page, links.pages, links.offset]).to.deep.equal([p.page, p.pages, p.offset]);
      }),
    );
  });
});
