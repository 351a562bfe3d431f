import type { AddressInfo } from "node:net";
import zlib from "node:zlib";
import { expect } from "chai";
import request from "supertest";
import { csrfFrom, loginAs, startTestApp, type Agent, type TestContext } from "../support/app";

// Hostile bodies and URLs a form fuzzer sends: each is the client's mistake, so it answers 4xx
// with the friendly error page — never a 500, on /login (no session yet) as on any other POST.
describe("HTTP: unreadable requests answer 400, 413 or 415 with the error page", () => {
  let ctx: TestContext;
  let coordinator: Agent;
  before(async () => {
    ctx = await startTestApp();
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
  });
  after(async () => ctx.close());

  const friendly = (text: string) => {
    expect(text).to.contain("<!doctype html>");
    expect(text).to.contain("<h1>");
    expect(text).to.not.match(/at [\w.]+ \(|node_modules|stack/i);
  };

  for (const where of ["/login", "/clienten"]) {
    describe(`POST ${where}`, () => {
      const agentFor = async () => (where === "/login" ? request.agent(ctx.app) : coordinator);

      it("a body in an unknown charset (utf-16) answers 415", async () => {
        const agent = await agentFor();
        const res = await agent.post(where).set("Content-Type", "application/x-www-form-urlencoded; charset=utf-16").send("email=a%40b.nl&password=x");
        expect(res.status).to.equal(415);
        friendly(res.text);
        expect(res.text).to.contain("Dit formulier kon niet worden gelezen");
      });

      it("a plain body labelled Content-Encoding: gzip answers 400", async () => {
        const agent = await agentFor();
        const res = await agent.post(where).set("Content-Type", "application/x-www-form-urlencoded").set("Content-Encoding", "gzip").send("email=a%40b.nl&password=x");
        expect(res.status).to.equal(400);
        friendly(res.text);
      });

      it("an encoding nobody knows (Content-Encoding: br2) answers 415", async () => {
        const agent = await agentFor();
        const res = await agent.post(where).set("Content-Type", "application/x-www-form-urlencoded").set("Content-Encoding", "br2").send("a=b");
        expect(res.status).to.equal(415);
        friendly(res.text);
      });

      it("more than 1,000 fields answers 413", async () => {
        const agent = await agentFor();
        const body = Array.from({ length: 1500 }, (_, i) => `f${i}=x`).join("&");
        const res = await agent.post(where).type("form").send(body);
        expect(res.status).to.equal(413);
        friendly(res.text);
        expect(res.text).to.contain("te groot");
      });
    });
  }

  it("a real gzip body is still read (the login form's 401, not a 4xx about the body)", async () => {
    const agent = request.agent(ctx.app);
    const page = await agent.get("/login");
    const cookie = String(page.headers["set-cookie"]).match(/dagdeel\.sid=[^;]+/)![0];
    const body = zlib.gzipSync(Buffer.from(`email=${encodeURIComponent(ctx.world.users.admin.email)}&password=wrong-password&_csrf=${encodeURIComponent(csrfFrom(page.text))}`));
    // fetch, not supertest: superagent does not send a Buffer body byte for byte.
    const server = ctx.app.listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/login`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Encoding": "gzip", Cookie: cookie },
        body,
        redirect: "manual",
      });
      expect(res.status).to.equal(401);
    } finally {
      server.close();
    }
  });

  it("a malformed escape in a URL (/clienten/%ff) answers 400, not 500", async () => {
    for (const url of ["/clienten/%ff", "/clienten/%E0%A4%A", "/locaties/%ff/week", "/beheer/gebruikers/%ff"]) {
      const res = await coordinator.get(url);
      expect(res.status, url).to.be.oneOf([400, 403]);
      if (res.status === 400) friendly(res.text);
    }
    const res = await coordinator.get("/clienten/%ff");
    expect(res.status).to.equal(400);
    expect(res.text).to.contain("Dit adres klopt niet");
  });

  it("the English error page follows the session's language", async () => {
    const agent = request.agent(ctx.app);
    await agent.get("/login?lang=en");
    const res = await agent.post("/login").set("Content-Type", "application/x-www-form-urlencoded; charset=utf-16").send("a=b");
    expect(res.status).to.equal(415);
    expect(res.text).to.contain('<html lang="en">');
  });
});
