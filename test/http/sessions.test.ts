import { expect } from "chai";
import type { Knex } from "knex";
import { csrfToken, loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { TOUCH_EVERY_MS } from "../../src/auth/session-store";

// Sessions are rolling (an idle timeout), but a page view must not cost a database write.
describe("HTTP: sessions are not rewritten on every request, and still time out when idle", () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp();
  });
  after(async () => ctx.close());

  /** Counts the statements that write the sessions table while `work` runs. */
  async function sessionWrites(db: Knex, work: () => Promise<void>): Promise<number> {
    let writes = 0;
    const listener = (q: { sql: string }) => {
      // Either driver's upsert (SQLite: insert … on conflict; PostgreSQL: with … upsert) counts once.
      if (/"?sessions"?/i.test(q.sql) && /\b(insert|update|delete)\b/i.test(q.sql)) writes++;
    };
    db.on("query", listener);
    try {
      await work();
    } finally {
      db.off("query", listener);
    }
    return writes;
  }

  async function onlySession(): Promise<{ sid: string; sess: Record<string, unknown> }> {
    const rows = await ctx.db("sessions").select("sid", "sess");
    const mine = rows.map((r) => ({ sid: r.sid, sess: typeof r.sess === "string" ? JSON.parse(r.sess) : r.sess })).filter((r) => r.sess.userId === ctx.world.users.coordinator.id);
    expect(mine).to.have.length(1);
    return mine[0];
  }

  let agent: Agent;
  beforeEach(async () => {
    await ctx.db("sessions").delete();
    agent = await loginAs(ctx.app, ctx.world.users.coordinator.email);
  });

  it("five page views right after login write nothing to the sessions table", async () => {
    const writes = await sessionWrites(ctx.db, async () => {
      for (const url of ["/", "/clienten", "/", "/organisaties", "/"]) expect((await agent.get(url)).status, url).to.equal(200);
    });
    expect(writes).to.equal(0);
  });

  it("a page view after a few quiet minutes writes the row once, pushing the expiry on", async () => {
    const { sid, sess } = await onlySession();
    const before = await ctx.db("sessions").where({ sid }).first("expired");
    await ctx.db("sessions").where({ sid }).update({ sess: JSON.stringify({ ...sess, writtenAt: Date.now() - TOUCH_EVERY_MS - 1000 }) });
    const writes = await sessionWrites(ctx.db, async () => {
      expect((await agent.get("/")).status).to.equal(200);
      expect((await agent.get("/")).status).to.equal(200);
    });
    expect(writes).to.equal(1);
    const after = await ctx.db("sessions").where({ sid }).first("expired");
    expect(new Date(after.expired).getTime()).to.be.at.least(new Date(before.expired).getTime());
  });

  it("a session idle past its expiry ends: the next request goes to the login page", async () => {
    const { sid } = await onlySession();
    await ctx.db("sessions").where({ sid }).update({ expired: new Date(Date.now() - 60_000) });
    const res = await agent.get("/clienten");
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.match(/^\/login/);
  });

  it("reads the session's user alongside the session's row, not after it, and still fresh each request", async () => {
    expect((await agent.get("/")).status).to.equal(200);
    const started: string[] = [];
    const listener = (q: { sql: string }) => started.push(q.sql);
    ctx.db.on("query", listener);
    try {
      expect((await agent.get("/organisaties")).status).to.equal(200);
    } finally {
      ctx.db.off("query", listener);
    }
    // The user's query is asked before the session's row has answered: it is the first one sent.
    expect(started[0]).to.match(/from ["`]users["`]/i);
    expect(started[1]).to.match(/from ["`]sessions["`]/i);
    expect(started.filter((sql) => /from ["`]users["`] where/i.test(sql))).to.have.length(1);
    // Read in the request itself: a user deactivated since the last page is logged out at the next.
    await ctx.db("users").where({ id: ctx.world.users.coordinator.id }).update({ active: false });
    try {
      const res = await agent.get("/organisaties");
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.match(/^\/login/);
    } finally {
      await ctx.db("users").where({ id: ctx.world.users.coordinator.id }).update({ active: true });
    }
  });

  it("a changed session (a flash message) is still saved at once", async () => {
    const writes = await sessionWrites(ctx.db, async () => {
      const res = await agent.post("/taal").type("form").send({ locale: "en", back: "/", _csrf: await csrfToken(agent, "/") });
      expect(res.status).to.equal(303);
    });
    expect(writes).to.be.greaterThan(0);
    expect((await agent.get("/")).text).to.contain('<html lang="en">');
  });
});
