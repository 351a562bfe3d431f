import { expect } from "chai";
import { loginAs, startTestApp, type TestContext } from "../support/app";

describe("HTTP: organisation scope", () => {
  let ctx: TestContext;
  before(async () => {
    ctx = await startTestApp();
  });
  after(async () => ctx.close());

  it("a provider sees its own organisation and the purchaser it contracts with", async () => {
    const agent = await loginAs(ctx.app, ctx.world.users.providerA.email);
    expect((await agent.get(`/organisaties/${ctx.world.providerA}`)).status).to.equal(200);
    expect((await agent.get(`/organisaties/${ctx.world.gemeente}`)).status).to.equal(200);
  });

  it("a provider gets 404 for another provider and for a purchaser it has no contract with", async () => {
    const agent = await loginAs(ctx.app, ctx.world.users.providerA.email);
    const other = await agent.get(`/organisaties/${ctx.world.providerB}`);
    expect(other.status).to.equal(404);
    expect(other.text).to.not.contain("Dorpsdagvoorziening B");
    expect((await agent.get(`/organisaties/${ctx.world.zorgkantoor}`)).status).to.equal(404);
    const list = await agent.get("/organisaties");
    expect(list.text).to.contain("Zorgboerderij A");
    expect(list.text).to.not.contain("Dorpsdagvoorziening B");
  });

  it("a purchaser sees only its own contracts' providers, never another purchaser", async () => {
    const agent = await loginAs(ctx.app, ctx.world.users.purchaser.email);
    expect((await agent.get(`/organisaties/${ctx.world.providerA}`)).status).to.equal(200);
    expect((await agent.get(`/organisaties/${ctx.world.providerB}`)).status).to.equal(404);
    expect((await agent.get(`/organisaties/${ctx.world.zorgkantoor}`)).status).to.equal(404);
    const page = await agent.get(`/organisaties/${ctx.world.gemeente}`);
    expect(page.text).to.contain("PM-A");
    expect(page.text).to.not.contain("VGZ-B");
  });

  it("the zorgkantoor does not see the gemeente's contract on a shared page", async () => {
    // Provider A has a contract with the gemeente only; the zorgkantoor cannot open it at all.
    const agent = await loginAs(ctx.app, ctx.world.users.zorgkantoor.email);
    expect((await agent.get(`/organisaties/${ctx.world.providerA}`)).status).to.equal(404);
    const own = await agent.get(`/organisaties/${ctx.world.providerB}`);
    expect(own.status).to.equal(200);
    expect(own.text).to.contain("VGZ-B");
  });

  it("a coordinator sees every organisation", async () => {
    const agent = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    for (const id of [ctx.world.gemeente, ctx.world.zorgkantoor, ctx.world.providerA, ctx.world.providerB]) {
      expect((await agent.get(`/organisaties/${id}`)).status).to.equal(200);
    }
  });

  it("an id that is not a number is simply not found", async () => {
    const agent = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    expect((await agent.get("/organisaties/1%20or%201=1")).status).to.equal(404);
  });
});
