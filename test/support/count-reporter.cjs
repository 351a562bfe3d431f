// The spec reporter, plus one closing line of our own that CI reads:
//   tests: N passed, N failed, N skipped
// When test/run.mjs runs several passes (SQLite, then PostgreSQL) it sets COUNT_FILE: the counts
// go there and the runner prints one line with the totals at the very end.
const fs = require("node:fs");
const Mocha = require("mocha");
const { EVENT_RUN_END, EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_TEST_PENDING } = Mocha.Runner.constants;

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    runner.on(EVENT_TEST_PASS, () => passed++);
    runner.on(EVENT_TEST_FAIL, () => failed++);
    runner.on(EVENT_TEST_PENDING, () => skipped++);
    // After Spec's own epilogue, which it prints on the same event.
    runner.once(EVENT_RUN_END, () => {
      if (process.env.COUNT_FILE) fs.writeFileSync(process.env.COUNT_FILE, JSON.stringify({ passed, failed, skipped }));
      else process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
    });
  }
}

module.exports = CountReporter;
