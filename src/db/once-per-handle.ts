import type { Knex } from "knex";

/**
 * A check a database handle needs once (are the triggers there?), shared by every caller: the
 * first call runs it, callers meanwhile wait for that same run and get its answer, and once it
 * has succeeded later calls get `afterwards` without a query. Requests run side by side: without
 * this, the second of two concurrent callers would see the first one's work half done and
 * answer as if nothing had been needed (issue 11: a kept answer filed under a version read
 * before the triggers raised it). A failed run is forgotten, so the next call tries again.
 */
export class OncePerHandle<T> {
  private readonly done = new WeakSet<object>();
  private readonly running = new WeakMap<object, Promise<T>>();

  constructor(
    private readonly work: (db: Knex) => Promise<T>,
    private readonly afterwards: T,
  ) {}

  run(db: Knex): Promise<T> {
    if (this.done.has(db)) return Promise.resolve(this.afterwards);
    let running = this.running.get(db);
    if (!running) {
      running = this.work(db).then(
        (answer) => {
          this.done.add(db);
          this.running.delete(db);
          return answer;
        },
        (err: unknown) => {
          this.running.delete(db);
          throw err;
        },
      );
      this.running.set(db, running);
    }
    return running;
  }

  /** The next call runs the check again (after what undid it: triggers dropped). */
  forget(db: object): void {
    this.done.delete(db);
  }
}
