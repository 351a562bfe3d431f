import { ConnectSessionKnexStore } from "connect-session-knex";
import { dateAsISO, expiredCondition } from "connect-session-knex/dist/utils";
import type { Request } from "express";
import type { Session, SessionData } from "express-session";
import type { Knex } from "knex";
import { compiledOnce } from "../db/compiled";

/** How often an unchanged session's row is rewritten to push its expiry forward. */
export const TOUCH_EVERY_MS = 5 * 60 * 1000;

/** How many sessions' users the store remembers (the oldest forgotten first): one entry a logged-in session. */
export const USERS_REMEMBERED = 10_000;

const AHEAD = Symbol("the session's user, read with its row");

/**
 * What loadActor reads of the session's user (src/auth/middleware.ts), read in the session
 * row's own query: the columns to select once `users` is joined on the user's id, and what
 * loadActor takes from the row (null when no user has that id).
 */
export type SessionUserRead = {
  columns: (knex: Knex) => (string | Knex.QueryBuilder | Knex.Raw)[];
  from: (row: Record<string, unknown>) => unknown;
};

type Options = ConstructorParameters<typeof ConnectSessionKnexStore>[0] & { sessionUser?: SessionUserRead };

/**
 * The sessions table, written only when something is worth writing. express-session "touches"
 * the store on every request to move the idle timeout on, and connect-session-knex answers that
 * with an UPDATE: one write per page view. Here a touch writes only when the row was last
 * written TOUCH_EVERY_MS ago or longer, so the idle timeout (the cookie's maxAge) still counts
 * from the last activity, give or take those minutes, for one write per five minutes per user.
 */
export class SessionStore extends ConnectSessionKnexStore {
  private readonly sessionUser: SessionUserRead | null;
  /**
   * Which user each session belongs to, as last read or written. A session's user does not
   * change under its id (logging in regenerates the id, logging out destroys it), so the next
   * request of the session reads its user in the same query as the session's row: one query
   * before every page instead of two (one round trip on PostgreSQL). Only a hint: the user read
   * is used only when the row read says the same user (loadActor); without it (a new process)
   * loadActor reads the user after the row.
   */
  private readonly usersOf = new Map<string, number>();

  /** The session's row while it has not expired: connect-session-knex's query, compiled once (it runs for every request). */
  private readonly sessionRow = compiledOnce<[string, string]>((knex, sid, now) =>
    knex.select("sess").from(this.options.tableName).where(this.options.sidFieldName, "=", sid).andWhereRaw(expiredCondition(knex), now),
  );

  /** The same row with the user's columns, `users` joined on the remembered user's id. */
  private readonly sessionRowWithUser = compiledOnce<[string, string, number]>((knex, sid, now, userId) =>
    knex
      .select(`${this.options.tableName}.sess`, ...this.sessionUser!.columns(knex))
      .from(this.options.tableName)
      .leftJoin("users", (join) => join.onVal("users.id", "=", userId))
      .where(`${this.options.tableName}.${this.options.sidFieldName}`, "=", sid)
      .andWhereRaw(expiredCondition(knex), now),
  );

  constructor(options: Options) {
    const { sessionUser, ...rest } = options;
    super(rest);
    this.sessionUser = sessionUser ?? null;
  }

  override async get(sid: string, callback?: (err: unknown, session?: SessionData | null) => void): Promise<SessionData | null> {
    const userId = this.usersOf.get(sid);
    let session: SessionData | null;
    try {
      await this.ready;
      const { knex } = this.options;
      const now = String(dateAsISO(knex));
      if (userId !== undefined && this.sessionUser) {
        const [row] = await this.sessionRowWithUser<Record<string, unknown>>(knex, sid, now, userId);
        session = sessionOf(row);
        // The user read is handed on only when the row says it is this session's user.
        if (session && session.userId === userId) (session as SessionData & { [AHEAD]?: unknown })[AHEAD] = { userId, found: this.sessionUser.from(row) };
      } else {
        session = sessionOf((await this.sessionRow<Record<string, unknown>>(knex, sid, now))[0]);
      }
    } catch (err) {
      // As set: the error goes to express-session's callback, not to a promise nobody awaits.
      callback?.(err);
      return null;
    }
    callback?.(null, session);
    return session;
  }

  /** Hands the user read with the session to the request (a symbol: it is no part of the session's data or its hash). */
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

/** A session row's data: JSON text on SQLite, already parsed on PostgreSQL; none when there is no row. */
function sessionOf(row: Record<string, unknown> | undefined): SessionData | null {
  const sess = row?.sess;
  return (typeof sess === "string" ? JSON.parse(sess) : (sess ?? null)) as SessionData | null;
}
