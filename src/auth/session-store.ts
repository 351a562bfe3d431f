import { ConnectSessionKnexStore } from "connect-session-knex";
import { dateAsISO, expiredCondition } from "connect-session-knex/dist/utils";
import type { SessionData } from "express-session";
import { compiledOnce } from "../db/compiled";

/** How often an unchanged session's row is rewritten to push its expiry forward. */
export const TOUCH_EVERY_MS = 5 * 60 * 1000;

/**
 * The sessions table, written only when something is worth writing. express-session "touches"
 * the store on every request to move the idle timeout on, and connect-session-knex answers that
 * with an UPDATE: one write per page view. Here a touch writes only when the row was last
 * written TOUCH_EVERY_MS ago or longer, so the idle timeout (the cookie's maxAge) still counts
 * from the last activity, give or take those minutes, for one write per five minutes per user.
 */
export class SessionStore extends ConnectSessionKnexStore {
  /** The session's row while it has not expired: connect-session-knex's query, compiled once (it runs for every request). */
  private readonly sessionRow = compiledOnce<[string, string]>((knex, sid, now) =>
    knex.select("sess").from(this.options.tableName).where(this.options.sidFieldName, "=", sid).andWhereRaw(expiredCondition(knex), now),
  );

  override async get(sid: string, callback: (err: unknown, session?: SessionData | null) => void): Promise<SessionData | null> {
    try {
      await this.ready;
      const { knex } = this.options;
      const [row] = await this.sessionRow<{ sess: unknown }>(knex, sid, String(dateAsISO(knex)));
      const session = (typeof row?.sess === "string" ? JSON.parse(row.sess) : (row?.sess ?? null)) as SessionData | null;
      callback?.(null, session);
      return session;
    } catch (err) {
      // As set: the error goes to express-session's callback, not to a promise nobody awaits.
      callback?.(err);
      return null;
    }
  }

  override async set(sid: string, session: SessionData, callback?: (err?: unknown) => void): Promise<void> {
    session.writtenAt = Date.now();
    // The parent hands an error to the callback and throws it too; express-session listens to the callback.
    await super.set(sid, session, callback).catch(() => undefined);
  }

  override async touch(sid: string, session: SessionData, callback?: () => void): Promise<void> {
    const writtenAt = typeof session.writtenAt === "number" ? session.writtenAt : 0;
    if (Date.now() - writtenAt < TOUCH_EVERY_MS) {
      callback?.();
      return;
    }
    await this.set(sid, session, callback);
  }
}
