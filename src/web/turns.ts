// A long computation inside a request hands the event loop back every few milliseconds, so no
// other request waits behind it for long (issue 11: no event-loop block over 100 ms). The
// computation stays the same; only its loop awaits a turn now and then:
// `if (turns.due()) await turns.pass();` — no promise for the steps in between. The one way to
// give way, for every feature (problem lists, use, planned units, free places).

/** Milliseconds of work between two turns. */
export const SLICE_MS = 15;

/** Lets other requests in between two steps of a long computation. */
export const nextTurn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));

export class Turns {
  private started = performance.now();
  private count = 0;

  /** `every`: how many calls between two looks at the clock (1 for a loop whose steps are long). */
  constructor(private readonly every = 64) {}

  /** True once a slice has passed (the clock is read every `every` calls). */
  due(): boolean {
    if (++this.count % this.every !== 0) return false;
    return performance.now() - this.started >= SLICE_MS;
  }

  /** Gives other requests their turn, then starts a new slice. */
  async pass(): Promise<void> {
    await nextTurn();
    this.started = performance.now();
  }
}
