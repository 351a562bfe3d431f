import { expect } from "chai";
import type { Knex } from "knex";
import { OncePerHandle } from "../../src/db/once-per-handle";

// A once-per-database check (the triggers) shared by callers that arrive together: the second of
// two concurrent first requests once answered "nothing needed" while the first was still creating
// the triggers, and filed a kept answer under a version read before they raised it.
describe("OncePerHandle: a check each database handle needs once", () => {
  const handle = () => ({}) as unknown as Knex;

  it("runs once for callers that arrive together, and each gets the run's answer", async () => {
    let runs = 0;
    let finish!: () => void;
    const once = new OncePerHandle(async () => {
      runs += 1;
      await new Promise<void>((resolve) => (finish = resolve));
      return true;
    }, false);
    const db = handle();
    const first = once.run(db);
    const second = once.run(db);
    await Promise.resolve();
    finish();
    expect(await Promise.all([first, second])).to.deep.equal([true, true]);
    expect(runs).to.equal(1);
    // Afterwards: nothing left to do, without running again.
    expect(await once.run(db)).to.equal(false);
    expect(runs).to.equal(1);
  });

  it("keeps each handle apart, tries again after a failure, and again after forget()", async () => {
    let runs = 0;
    let fail = true;
    const once = new OncePerHandle(async () => {
      runs += 1;
      if (fail) throw new Error("no connection");
      return true;
    }, false);
    const [a, b] = [handle(), handle()];
    const failed = await once.run(a).then(() => null, (err: Error) => err.message);
    expect(failed).to.equal("no connection");
    fail = false;
    expect(await once.run(a)).to.equal(true);
    expect(await once.run(b)).to.equal(true);
    expect(await once.run(a)).to.equal(false);
    once.forget(a);
    expect(await once.run(a)).to.equal(true);
    expect(runs).to.equal(4);
  });
});
