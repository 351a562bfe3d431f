import { expect } from "chai";
import type { Knex } from "knex";
import request from "supertest";
import { createApp } from "../../src/app";
import { csrfFrom, csrfToken, loginAs, startTestApp, type Agent, type TestContext } from "../support/app";
import { PASSWORD } from "../support/fixtures";
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

  it("reads the session's user in the session row's own query, and still fresh each request", async () => {
    expect((await agent.get("/")).status).to.equal(200);
    const started: string[] = [];
    const listener = (q: { sql: string }) => started.push(q.sql);
    ctx.db.on("query", listener);
    try {
      expect((await agent.get("/organisaties")).status).to.equal(200);
    } finally {
      ctx.db.off("query", listener);
    }
    // One query before the route: the session's row with its user joined, and no other read of users.
    expect(started[0]).to.match(/from ["`]sessions["`] left join ["`]users["`]/i);
    expect(started.filter((sql) => /["`]users["`]/i.test(sql))).to.have.length(1);
    // Only what a request needs of its user: never the password's hash or the two-factor secret itself.
    expect(started[0]).not.to.match(/password_hash|users["`]?\.\*/i);
    expect(started[0].replace(/case when users\.totp_secret is null then 0 else 1 end/i, "")).not.to.match(/totp_secret/i);
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

  it("a session another process started (or this one before a restart) reads its user after its row, then with it", async () => {
    // Logged in through this app; the next requests go to a second app on the same database.
    const page = await request(ctx.app).get("/login");
    const login = await request(ctx.app)
      .post("/login")
      .set("Cookie", page.headers["set-cookie"] as unknown as string[])
      .type("form")
      .send({ email: ctx.world.users.coordinator.email, password: PASSWORD, _csrf: csrfFrom(page.text) });
    expect(login.status).to.equal(303);
    const cookie = (login.headers["set-cookie"] as unknown as string[]).map((c) => c.split(";")[0]);
    const other = createApp({ db: ctx.db, clock: ctx.clock, config: ctx.config });
    try {
      const asked = async () => {
        const started: string[] = [];
        const listener = (q: { sql: string }) => started.push(q.sql);
        ctx.db.on("query", listener);
        try {
          expect((await request(other).get("/organisaties").set("Cookie", cookie)).status).to.equal(200);
        } finally {
          ctx.db.off("query", listener);
        }
        // What a process checks once (the data versions' triggers) is no read of a session.
        return started.filter((sql) => /["`](sessions|users)["`]/i.test(sql));
      };
      const first = await asked();
      expect(first[0]).to.match(/from ["`]sessions["`] where/i);
      expect(first[1]).to.match(/from ["`]users["`] where/i);
      const second = await asked();
      expect(second[0]).to.match(/from ["`]sessions["`] left join ["`]users["`]/i);
      expect(second.filter((sql) => /["`]users["`]/i.test(sql))).to.have.length(1);
    } finally {
      await other.close();
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
