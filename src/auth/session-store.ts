import { ConnectSessionKnexStore } from "connect-session-knex";
import { dateAsISO, expiredCondition } from "connect-session-knex/dist/utils";
import type { Request } from "express";
import type { Session, SessionData } from "express-session";
import { compiledOnce } from "../db/compiled";

/** How often an unchanged session's row is rewritten to push its expiry forward. */
export const TOUCH_EVERY_MS = 5 * 60 * 1000;

/** How many sessions' users the store remembers (the oldest forgotten first): one entry a logged-in session. */
export const USERS_REMEMBERED = 10_000;

const AHEAD = Symbol("the session's user, looked up alongside");

type Options = ConstructorParameters<typeof ConnectSessionKnexStore>[0] & {
  /** What loadActor reads of the session's user (src/auth/middleware.ts), started alongside the session's row. */
  lookUpUser?: (userId: number) => Promise<unknown>;
};

/**
 * The sessions table, written only when something is worth writing. express-session "touches"
 * the store on every request to move the idle timeout on, and connect-session-knex answers that
 * with an UPDATE: one write per page view. Here a touch writes only when the row was last
 * written TOUCH_EVERY_MS ago or longer, so the idle timeout (the cookie's maxAge) still counts
 * from the last activity, give or take those minutes, for one write per five minutes per user.
 */
export class SessionStore extends ConnectSessionKnexStore {
  private readonly lookUpUser: ((userId: number) => Promise<unknown>) | null;
  /**
   * Which user each session belongs to, as last read or written. A session's user does not
   * change under its id (logging in regenerates the id, logging out destroys it), so the next
   * request of the session can start reading its user at once, alongside the session's row,
   * instead of after it: on PostgreSQL one round trip before every page instead of two. Only a
   * hint: the user read is used only when the row read says the same user (loadActor).
   */
  private readonly usersOf = new Map<string, number>();

  /** The session's row while it has not expired: connect-session-knex's query, compiled once (it runs for every request). */
  private readonly sessionRow = compiledOnce<[string, string]>((knex, sid, now) =>
    knex.select("sess").from(this.options.tableName).where(this.options.sidFieldName, "=", sid).andWhereRaw(expiredCondition(knex), now),
  );

  constructor(options: Options) {
    const { lookUpUser, ...rest } = options;
    super(rest);
    this.lookUpUser = lookUpUser ?? null;
  }

  override async get(sid: string, callback?: (err: unknown, session?: SessionData | null) => void): Promise<SessionData | null> {
    const userId = this.usersOf.get(sid);
    const ahead = userId !== undefined && this.lookUpUser ? this.lookUpUser(userId) : null;
    ahead?.catch(() => undefined); // a failure is met again by loadActor, which awaits it
    let session: SessionData | null;
    try {
      session = await this.readSession(sid); // answered below, once the user is attached
    } catch (err) {
      callback?.(err);
      return null;
    }
    if (session && ahead && session.userId === userId) (session as SessionData & { [AHEAD]?: unknown })[AHEAD] = { userId, found: ahead };
    callback?.(null, session);
    return session;
  }

  /** The session's data, or null when there is none or it has expired (connect-session-knex's get, compiled). */
  private async readSession(sid: string): Promise<SessionData | null> {
    await this.ready;
    const { knex } = this.options;
    const [row] = await this.sessionRow<{ sess: unknown }>(knex, sid, String(dateAsISO(knex)));
    return (typeof row?.sess === "string" ? JSON.parse(row.sess) : (row?.sess ?? null)) as SessionData | null;
  }

  /** Hands the user read alongside to the request (a symbol: it is no part of the session's data or its hash). */
  override createSession(req: Request, session: SessionData): Session & SessionData {
    const data = session as SessionData & { [AHEAD]?: Request["sessionUserAhead"] };
    if (data[AHEAD]) {
      req.sessionUserAhead = data[AHEAD];
      delete data[AHEAD];
    }
    if (typeof session.userId === "number") this.remember(req.sessionID, session.userId);
    return super.createSession(req, session);
  }

  override async destroy(sid: string, callback?: (err?: unknown) => void): Promise<number> {
    this.usersOf.delete(sid);
    return super.destroy(sid, callback);
  }

  private remember(sid: string, userId: number | undefined): void {
    this.usersOf.delete(sid);
    if (userId === undefined) return;
    this.usersOf.set(sid, userId);
    if (this.usersOf.size > USERS_REMEMBERED) this.usersOf.delete(this.usersOf.keys().next().value!);
  }

  override async set(sid: string, session: SessionData, callback?: (err?: unknown) => void): Promise<void> {
    this.remember(sid, typeof session.userId === "number" ? session.userId : undefined);
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
