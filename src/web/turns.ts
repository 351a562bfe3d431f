// A long computation inside a request hands the event loop back every few milliseconds, so no
// other request waits behind it for long (issue 11: no event-loop block over 100 ms). The
// computation stays the same; only its loop awaits a turn now and then:
// `if (turns.due()) await turns.pass();` — no promise for the steps in between. The one way to
// give way, for every feature (problem lists, use, planned units, free places).
//
// The slice is the process's, not each computation's: a page runs several computations at once
// (the coordinator's home: today's places, the problem lists, the absences; /contracten: use
// and planned units), and when each kept its own 15 ms clock they all resumed in the same turn
// of the event loop (every setImmediate waiting runs in one go) and held it for 15 ms each,
// plus the garbage collection their garbage called for: blocks of 60–100 ms. Now every turn
// passes through one gate that lets a single waiting computation on per turn of the loop, and
// every computation measures its slice from the moment the gate last let one on.

/** Milliseconds of work between two turns. */
export const SLICE_MS = 15;

/** When the gate last let a computation on: the start of the running slice, whoever runs it. */
let sliceStarted = -Infinity;
/** The computations waiting for their turn, first come first served. */
const waiting: (() => void)[] = [];
let releasing = false;

/**
 * Lets the first waiting computation on, and the next one only in the next turn of the event
 * loop: a setImmediate queued while the immediates run waits for the next turn (Node's check
 * phase), so timers, I/O and other requests come in between two slices.
 */
function release(): void {
  const next = waiting.shift();
  sliceStarted = performance.now();
  if (waiting.length > 0) setImmediate(release);
  else releasing = false;
  next?.();
}

/** Lets other requests in between two steps of a long computation (one computation per turn). */
export function nextTurn(): Promise<void> {
  return new Promise<void>((resolve) => {
    waiting.push(resolve);
    if (!releasing) {
      releasing = true;
      setImmediate(release);
    }
  });
}

/** True once the running slice has passed: time for a turn before more work. */
export function sliceSpent(): boolean {
  return performance.now() - sliceStarted >= SLICE_MS;
}

/**
 * A turn only when the running slice has passed: for the step between a long computation and
 * what follows it in the same request (the page's template), which would otherwise run on in
 * the same turn as the computation's last slice.
 */
export async function giveWay(): Promise<void> {
  if (sliceSpent()) await nextTurn();
}

export class Turns {
  private count = 0;

  /** `every`: how many calls between two looks at the clock (1 for a loop whose steps are long). */
  constructor(private readonly every = 64) {}

  /**
   * True once the process's slice has passed (the clock is read every `every` calls). A
   * computation that starts long after the last turn takes one at its first look: the slice
   * may already have gone to other work in this turn of the loop.
   */
  due(): boolean {
    if (++this.count % this.every !== 0) return false;
    return sliceSpent();
  }

  /** Gives other requests their turn; the gate starts a new slice when this one goes on. */
  pass(): Promise<void> {
    return nextTurn();
  }
}
