import { ConnectSessionKnexStore } from "connect-session-knex";
import type { SessionData } from "express-session";

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
