import { expect } from "chai";
import fc from "fast-check";
import { isAbsence, noteAfter } from "../../src/domain/absence-note";
import { ATTENDANCE_STATUSES } from "../../src/domain/attendance";

describe("attendance: the note with an absence", () => {
  it("only an absence keeps a note", () => {
    expect(ATTENDANCE_STATUSES.filter(isAbsence)).to.deep.equal(["afgemeld", "ziek", "niet_verschenen"]);
    expect(noteAfter("aanwezig", "griep", "griep")).to.equal(null);
    expect(noteAfter("extra", undefined, "griep")).to.equal(null);
  });

  it("a given note replaces the stored one, trimmed; blank clears it; none given keeps it", () => {
    expect(noteAfter("ziek", "  griep ", null)).to.equal("griep");
    expect(noteAfter("ziek", "  ", "griep")).to.equal(null);
    expect(noteAfter("ziek", null, "griep")).to.equal(null);
    expect(noteAfter("afgemeld", undefined, "griep")).to.equal("griep");
  });

  it("property: the result is null or a trimmed, non-empty text", () => {
    fc.assert(
      fc.property(fc.constantFrom(...ATTENDANCE_STATUSES), fc.option(fc.string(), { nil: undefined }), fc.option(fc.string(), { nil: null }), (status, given, stored) => {
        const note = noteAfter(status, given, stored);
        if (!isAbsence(status)) expect(note).to.equal(null);
        if (note !== null && given !== undefined) expect(note).to.equal(note.trim()).and.not.equal("");
      }),
    );
  });
});
