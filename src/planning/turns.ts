// A long computation on the one event loop holds up every other request: the problem lists'
// loops (thousands of schedules, allocations, locations, waiting entries) give way every
// TURN_MS, so no request waits behind them for long (issue 11: no block over 100 ms).

/** Lets other requests in between steps of a long computation (no request blocks the others). */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** How long a synchronous stretch may run before it lets others in. */
const TURN_MS = 20;

/** A clock for breaking a loop into turns: `due()` says when the current turn has run long enough. */
export function turns(): { due(): boolean; take(): Promise<void> } {
  let started = performance.now();
  return {
    due: () => performance.now() - started > TURN_MS,
    async take() {
      await nextTurn();
      started = performance.now();
    },
  };
}
