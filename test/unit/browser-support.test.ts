import { expect } from "chai";
import { chromiumOrSkip } from "../support/browser";

// CI must not report the browser tests as passed by skipping all of them.
describe("browser tests without Chromium", () => {
  const suite = () => {
    const calls = { skipped: 0 };
    return { calls, skip: (() => void (calls.skipped += 1)) as unknown as Mocha.Context["skip"] };
  };

  it("fail in CI (CI=true)", () => {
    const s = suite();
    expect(() => chromiumOrSkip(s, { CI: "true" }, "/nonexistent/chromium")).to.throw(/CI must run the browser tests/);
    expect(s.calls.skipped).to.equal(0);
  });

  it("are skipped with a note on a developer's machine (no CI, or CI=false)", () => {
    for (const env of [{}, { CI: "false" }]) {
      const s = suite();
      chromiumOrSkip(s, env, "/nonexistent/chromium");
      expect(s.calls.skipped).to.equal(1);
    }
  });

  it("run when Chromium is there, in CI or not", () => {
    const s = suite();
    chromiumOrSkip(s, { CI: "true" }, process.execPath); // any file that exists
    expect(s.calls.skipped).to.equal(0);
  });
});
