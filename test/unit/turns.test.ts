import { expect } from "chai";
import { nextTurn, Turns } from "../../src/web/turns";

// The one way a long computation gives way (src/web/turns.ts): the slice is the process's, so
// computations running at once take turns of the event loop one at a time instead of all
// resuming in the same turn. Counted in turns of the loop, never in time.

/** Counts turns of the event loop: an immediate queued by an immediate runs in the next turn. */
function loopTurns(): { now(): number; stop(): void } {
  let count = 0;
  let running = true;
  const tick = () => {
    count++;
    if (running) setImmediate(tick);
  };
  setImmediate(tick);
  return { now: () => count, stop: () => (running = false) };
}

describe("turns: one computation goes on per turn of the event loop (issue 11)", () => {
  it("lets computations waiting at once go on in turns of their own, first come first served", async () => {
    const loop = loopTurns();
    const resumed: { name: string; turn: number }[] = [];
    await Promise.all(["a", "b", "c"].map((name) => nextTurn().then(() => resumed.push({ name, turn: loop.now() }))));
    loop.stop();
    expect(resumed.map((r) => r.name)).to.deep.equal(["a", "b", "c"]);
    expect(resumed[1].turn).to.be.greaterThan(resumed[0].turn);
    expect(resumed[2].turn).to.be.greaterThan(resumed[1].turn);
  });

  it("takes turns between two loops that give way, each resuming after the other", async () => {
    const resumed: string[] = [];
    const run = async (name: string) => {
      for (let i = 0; i < 3; i++) {
        await new Turns(1).pass();
        resumed.push(name);
      }
    };
    await Promise.all([run("a"), run("b")]);
    expect(resumed).to.deep.equal(["a", "b", "a", "b", "a", "b"]);
  });

  it("looks at the clock only every `every` calls", () => {
    const turns = new Turns(3);
    // Whatever the clock says, the first two calls do not look at it.
    expect(turns.due()).to.equal(false);
    expect(turns.due()).to.equal(false);
  });
});
