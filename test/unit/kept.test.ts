import { expect } from "chai";
import { KeptAnswers, keyOf } from "../../src/data-version/kept";

// The one cache of answers kept against a data version (src/data-version/kept.ts), used by the
// problem lists, the home page, the board, the calendar feeds, the free places, the attendance
// start page and the use of contracts.

const db = {};
const other = {};

describe("KeptAnswers: answers kept against a data version (issue 11, 17)", () => {
  it("gives the kept answer while the version stands, and computes afresh once it moved", async () => {
    const answers = new KeptAnswers<number>(4);
    let computed = 0;
    const compute = async () => ++computed;
    expect(await answers.answer(db, "a", 1, compute)).to.equal(1);
    expect(await answers.answer(db, "a", 1, compute)).to.equal(1);
    expect(await answers.answer(db, "a", 2, compute)).to.equal(2);
    expect(await answers.answer(db, "a", 2, compute)).to.equal(2);
    expect(computed).to.equal(2);
  });

  it("keeps nothing and takes nothing under a null version", async () => {
    const answers = new KeptAnswers<number>(4);
    let computed = 0;
    const compute = async () => ++computed;
    await answers.answer(db, "a", 1, compute);
    expect(await answers.answer(db, "a", null, compute)).to.equal(2);
    expect(await answers.answer(db, "a", 1, compute)).to.equal(1);
  });

  it("keeps at most its size per database handle, the least recently used going first", async () => {
    const answers = new KeptAnswers<string>(2);
    const calls: string[] = [];
    const compute = (key: string) => async () => (calls.push(key), key);
    await answers.answer(db, "a", 1, compute("a"));
    await answers.answer(db, "b", 1, compute("b"));
    await answers.answer(db, "a", 1, compute("a")); // a used last: b goes first
    await answers.answer(db, "c", 1, compute("c"));
    await answers.answer(db, "a", 1, compute("a"));
    await answers.answer(db, "b", 1, compute("b"));
    expect(calls).to.deep.equal(["a", "b", "c", "b"]);
    // Another database handle keeps its own.
    await answers.answer(other, "a", 1, compute("a"));
    expect(calls).to.deep.equal(["a", "b", "c", "b", "a"]);
  });

  it("computes once for requests that arrive while the same answer is being computed", async () => {
    const answers = new KeptAnswers<number>(4);
    let computed = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const compute = async () => {
      computed += 1;
      await gate;
      return 42;
    };
    const both = Promise.all([answers.answer(db, "slow", 1, compute), answers.answer(db, "slow", 1, compute)]);
    release();
    expect(await both).to.deep.equal([42, 42]);
    expect(computed).to.equal(1);
  });

  it("does not keep a failed computation: the next request tries again", async () => {
    const answers = new KeptAnswers<number>(4);
    let calls = 0;
    const failing = async () => {
      calls += 1;
      throw new Error("database gone");
    };
    let failed = false;
    await answers.answer(db, "f", 1, failing).catch(() => (failed = true));
    expect(failed).to.equal(true);
    await Promise.resolve(); // the rejection's handler forgets the entry
    expect(await answers.answer(db, "f", 1, async () => 7)).to.equal(7);
    expect(calls).to.equal(1);
  });

  it("forgets a database's answers when asked", async () => {
    const answers = new KeptAnswers<number>(4);
    let computed = 0;
    await answers.answer(db, "a", 1, async () => ++computed);
    answers.forget(db);
    expect(await answers.answer(db, "a", 1, async () => ++computed)).to.equal(2);
  });

  it("keys by everything else an answer depends on", () => {
    expect(keyOf(["2026-12-07", [1, 2]])).to.equal(keyOf(["2026-12-07", [1, 2]]));
    expect(keyOf(["2026-12-07", [1, 2]])).not.to.equal(keyOf(["2026-12-07", [2, 1]]));
  });
});
