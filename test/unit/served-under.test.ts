import { expect } from "chai";
import express, { Router } from "express";
import fc from "fast-check";
import request from "supertest";
import { servedUnder } from "../../src/web/served-under";

// A router behind servedUnder answers exactly what it answers without it, as long as its routes
// lie under the prefixes given; every other address goes on to what follows, as before.
describe("servedUnder: a feature router entered only for its own addresses", () => {
  function feature(): Router {
    const router = Router();
    router.get("/", (_req, res) => void res.send("home"));
    router.get("/clienten", (_req, res) => void res.send("list"));
    router.get("/clienten/:id", (req, res) => void res.send(`client ${req.params.id}`));
    const nested = Router();
    nested.get("/", (_req, res) => void res.send("allocations"));
    nested.get("/:id/wijzigen", (req, res) => void res.send(`edit ${req.params.id}`));
    router.use("/toewijzingen", nested);
    return router;
  }

  function appWith(gated: boolean) {
    const app = express();
    const router = feature();
    app.use(gated ? servedUnder(["/", "/clienten", "/toewijzingen"], router) : router);
    app.use((req, res) => void res.status(404).send(`next: ${req.path}`));
    return app;
  }

  const plain = appWith(false);
  const gated = appWith(true);

  it("answers its routes, and lets every other path go on", async () => {
    expect((await request(gated).get("/")).text).to.equal("home");
    expect((await request(gated).get("/clienten/7")).text).to.equal("client 7");
    expect((await request(gated).get("/Clienten/")).text).to.equal("list");
    expect((await request(gated).get("/toewijzingen/3/wijzigen")).text).to.equal("edit 3");
    const other = await request(gated).get("/clientenlijst");
    expect([other.status, other.text]).to.deep.equal([404, "next: /clientenlijst"]);
  });

  it("gives the same answer as the router without it, for any path (property)", async () => {
    const segment = fc.constantFrom("", "clienten", "Clienten", "toewijzingen", "12", "wijzigen", "planning", "clientenlijst");
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { maxLength: 4 }), fc.boolean(), async (segments, slash) => {
        const path = `/${segments.join("/")}${slash ? "/" : ""}`.replace(/\/{2,}/g, "/");
        const [a, b] = await Promise.all([request(plain).get(path), request(gated).get(path)]);
        expect([b.status, b.text], path).to.deep.equal([a.status, a.text]);
      }),
      { numRuns: 150 },
    );
  });
});
