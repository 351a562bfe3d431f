import { createHash } from "node:crypto";
import { expect } from "chai";
import request from "supertest";
import { api } from "../support/api";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";

// The token pages (/api-sleutels): an organisation's users keep their organisation's tokens,
// the admin every organisation's; a token is shown once and only its hash is stored; it acts
// as its organisation, and works no more once revoked.

describe("HTTP: API tokens (/api-sleutels)", () => {
  let ctx: TestContext;
  let providerA: Agent;
  let providerB: Agent;
  let admin: Agent;

  before(async () => {
    ctx = await startTestApp();
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
    providerB = await loginAs(ctx.app, ctx.world.users.providerB.email);
    admin = await loginAs(ctx.app, ctx.world.users.admin.email);
  });
  after(async () => ctx.close());

  const create = (agent: Agent, body: Record<string, string>) => postForm(agent, "/api-sleutels", { access: "read", expires_on: "2027-03-01", ...body }, "/api-sleutels");
  const tokenIn = (html: string) => /value="(dgd_[A-Za-z0-9_-]{43})"/.exec(html)?.[1] ?? null;

  it("a provider creates a token: shown once, stored as a hash, audited, and it acts as the provider", async () => {
    const res = await create(providerA, { label: "Planbord", access: "write" });
    expect(res.status).to.equal(201);
    expect(res.headers["cache-control"]).to.equal("no-store");
    const token = tokenIn(res.text)!;
    expect(token).to.be.a("string");
    const row = await ctx.db("api_tokens").where({ label: "Planbord" }).first();
    expect(row.token_hash).to.equal(createHash("sha256").update(token).digest("hex"));
    expect(row.organisation_id).to.equal(ctx.world.providerA);
    expect(row.access).to.equal("write");
    expect(JSON.stringify(row)).to.not.contain(token);
    const audit = await ctx.db("audit_log").where({ entity: "api_token", action: "create", entity_id: row.id }).first();
    expect(audit.user_id).to.equal(ctx.world.users.providerA.id);
    expect(audit.details).to.not.contain(token);

    const list = await providerA.get("/api-sleutels");
    expect(list.text).to.contain("Planbord");
    expect(list.text).to.not.contain(token);
    expect(list.text).to.contain(`…${token.slice(-4)}`);

    const answer = await api(ctx.app, "get", "/api/v1/locations", { token });
    expect(answer.status).to.equal(200);
    expect(answer.body.items.map((l: { id: number }) => l.id)).to.deep.equal([ctx.world.locationA]);
  });

  it("bad input: no label, an expiry in the past or more than a year ahead, a taken label (422, input kept)", async () => {
    const empty = await create(providerA, { label: "" });
    expect(empty.status).to.equal(422);
    expect(empty.text).to.contain('id="f-label-error"');
    const past = await create(providerA, { label: "Verleden", expires_on: "2026-11-23" });
    expect(past.status).to.equal(422);
    expect(past.text).to.contain('id="f-expires_on-error"');
    const far = await create(providerA, { label: "Ver weg", expires_on: "2028-01-01" });
    expect(far.status).to.equal(422);
    expect(far.text).to.contain('value="Ver weg"');
    const taken = await create(providerA, { label: "Planbord" });
    expect(taken.status).to.equal(422);
    expect(taken.text).to.contain('id="f-label-error"');
    expect(await ctx.db("api_tokens").count({ n: "*" }).first().then((r) => Number(r!.n))).to.equal(1);
  });

  it("a provider's form cannot make a token for another organisation", async () => {
    const res = await create(providerB, { label: "Kaping", organisation_id: String(ctx.world.providerA) });
    expect(res.status).to.equal(201);
    const row = await ctx.db("api_tokens").where({ label: "Kaping" }).first();
    expect(row.organisation_id).to.equal(ctx.world.providerB);
  });

  it("the admin chooses the organisation (required) and sees every organisation's tokens; a purchaser's token acts as purchaser", async () => {
    const missing = await create(admin, { label: "Gemeentelijk" });
    expect(missing.status).to.equal(422);
    expect(missing.text).to.contain('id="f-organisation_id-error"');
    const res = await create(admin, { label: "Gemeentelijk", organisation_id: String(ctx.world.gemeente) });
    expect(res.status).to.equal(201);
    const token = tokenIn(res.text)!;
    const list = await admin.get("/api-sleutels");
    for (const label of ["Planbord", "Kaping", "Gemeentelijk"]) expect(list.text).to.contain(label);
    const own = await providerA.get("/api-sleutels");
    expect(own.text).to.not.contain("Kaping");
    const attendance = await api(ctx.app, "get", `/api/v1/locations/${ctx.world.locationA}/attendance`, { token });
    expect(attendance.status, "a purchaser has no attendance").to.equal(403);
    const contracts = await api(ctx.app, "get", "/api/v1/contracts", { token });
    expect(contracts.body.items.map((c: { id: number }) => c.id)).to.deep.equal([ctx.world.contractA]);
  });

  it("revoking: own tokens only (another organisation's is 404); the token stops working", async () => {
    const res = await create(providerA, { label: "Kortstondig" });
    const token = tokenIn(res.text)!;
    const row = await ctx.db("api_tokens").where({ label: "Kortstondig" }).first();
    const foreign = await postForm(providerB, `/api-sleutels/${row.id}/intrekken`, {}, "/api-sleutels");
    expect(foreign.status).to.equal(404);
    expect((await api(ctx.app, "get", "/api/v1/locations", { token })).status).to.equal(200);
    const revoked = await postForm(providerA, `/api-sleutels/${row.id}/intrekken`, {}, "/api-sleutels");
    expect(revoked.status).to.equal(303);
    expect((await api(ctx.app, "get", "/api/v1/locations", { token })).status).to.equal(401);
    expect(await ctx.db("audit_log").where({ entity: "api_token", action: "revoke", entity_id: row.id }).first()).to.not.equal(undefined);
    const list = await providerA.get("/api-sleutels");
    expect(list.text).to.contain("ingetrokken");
  });

  it("a coordinator without an organisation has no tokens to keep (403); forms need the CSRF token", async () => {
    const coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    expect((await coordinator.get("/api-sleutels")).status).to.equal(403);
    const noCsrf = await providerA.post("/api-sleutels").type("form").send({ label: "Zonder", access: "read", expires_on: "2027-03-01" });
    expect(noCsrf.status).to.equal(403);
    expect((await request(ctx.app).get("/api-sleutels")).status, "not logged in").to.equal(303);
  });
});
