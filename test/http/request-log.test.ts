import { Writable } from "node:stream";
import { expect } from "chai";
import pino from "pino";
import request from "supertest";
import { csrfToken, startTestApp, type Agent, type TestContext } from "../support/app";
import { addClient, BSN } from "../support/clients-fixtures";
import { PASSWORD } from "../support/fixtures";

// The request log is read by whoever runs the server: it must not hand them a way into a
// session (the cookie) nor personal data (a BSN someone searched for).
describe("HTTP: the request log holds no session cookie and no BSN", () => {
  let ctx: TestContext;
  let lines: string[];
  let coordinator: Agent;
  let sid: string;

  before(async () => {
    lines = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    ctx = await startTestApp({ logger: pino({ level: "info" }, sink) });
    await addClient(ctx.db, { first_name: "Anna", last_name: "Gerrits", bsn: BSN.anna });
    coordinator = request.agent(ctx.app);
    const token = await csrfToken(coordinator);
    const login = await coordinator.post("/login").type("form").send({ email: ctx.world.users.coordinator.email, password: PASSWORD, _csrf: token });
    expect(login.status).to.equal(303);
    sid = String(login.headers["set-cookie"]).match(/dagdeel\.sid=([^;]+)/)![1];
  });
  after(async () => ctx.close());

  const log = () => lines.join("");

  it("logs requests, with cookie and set-cookie redacted", async () => {
    await coordinator.get("/clienten");
    const entries = lines.map((l) => JSON.parse(l));
    const withCookie = entries.find((e) => e.req?.url === "/clienten");
    expect(withCookie, "the request was logged").to.not.equal(undefined);
    expect(withCookie.req.headers.cookie).to.equal("[redacted]");
    const login = entries.find((e) => e.req?.url === "/login" && e.req.method === "POST");
    expect(login.res.headers["set-cookie"]).to.equal("[redacted]");
    // the signed id, in the cookie's encoding and decoded
    expect(log()).to.not.contain(sid);
    expect(log()).to.not.contain(decodeURIComponent(sid).slice(2, 34));
    expect(log()).to.not.contain("dagdeel.sid=");
  });

  it("a search for a BSN is found, and the BSN stays out of the log", async () => {
    const res = await coordinator.get(`/clienten?q=${BSN.anna}`);
    expect(res.status).to.equal(200);
    expect(res.text).to.contain("Gerrits");
    const res2 = await coordinator.get(`/clienten?q=Gerrits&kern=&status=alle`);
    expect(res2.status).to.equal(200);
    expect(log()).to.contain("/clienten?q=%5Bredacted%5D");
    expect(log()).to.not.contain(BSN.anna);
    expect(log()).to.not.contain("Gerrits");
  });

  it("a password reset link's token stays out of the log", async () => {
    const token = "Zq3-secret-reset-token-that-must-not-be-logged";
    await request(ctx.app).get(`/wachtwoord-herstel/${token}`);
    expect(log()).to.contain("/wachtwoord-herstel/[redacted]");
    expect(log()).to.not.contain(token);
  });

  it("a BSN in a path or in a failed request's error stays out of the log too", async () => {
    await coordinator.get(`/clienten/${BSN.anna}`);
    await request(ctx.app).get(`/healthz?bsn=${BSN.anna}`);
    expect(log()).to.not.contain(BSN.anna);
  });
});
