import express, { Router } from "express";
import { expect } from "chai";
import request from "supertest";
import { apiErrorHandler } from "../../src/api/problems";
import { ForbiddenError, NotFoundError, ValidationError } from "../../src/domain/errors";
import { errorHandler, onInvalid, onInvalidBackTo } from "../../src/web/errors";
import { keptInput, parseForm, validValue } from "../../src/web/forms";
import { requiredText } from "../../src/web/fields";
import { setUpViews } from "../../src/web/views";
import { z } from "zod";

// The one error mapping (src/web/errors.ts) on its own: each typed error to its status and page,
// a refused rule to the route's own form (422, input kept), anything else to a 500 page that
// says nothing of what broke. The API maps the same errors to problem documents.

const schema = z.object({ name: requiredText(50) });

function testApp(session: Record<string, unknown>) {
  const app = express();
  setUpViews(app);
  app.use(express.urlencoded({ extended: false }));
  app.use((req, res, next) => {
    (req as unknown as { session: unknown }).session = session;
    res.locals.locale = "nl";
    next();
  });

  const api = Router();
  api.post("/dingen", () => {
    throw new ValidationError({ name: "errors.required", _form: "errors.invalid" });
  });
  api.get("/dingen/:id", () => {
    throw new NotFoundError("ding");
  });
  api.use(apiErrorHandler);
  app.use("/api", api);

  app.get("/niet-gevonden", () => {
    throw new NotFoundError("ding");
  });
  app.get("/verboden", () => {
    throw new ForbiddenError("role");
  });
  app.get("/kapot", () => {
    throw new Error("connection to db.internal:5432 refused");
  });
  app.post("/zonder-formulier", () => {
    throw new ValidationError({ name: "errors.required" });
  });

  // A feature router, mounted under a path, as the real ones are: the answer sees its params.
  const feature = Router();
  const form = (res: express.Response, id: string, values: Record<string, string>, errors: Record<string, string>) =>
    res.status(422).type("html").send(`<form data-id="${id}"><input name="name" value="${values.name ?? ""}">${Object.entries(errors).map(([f, k]) => `<p data-field="${f}">${k}</p>`).join("")}</form>`);
  feature.post("/:id", async (req, res) => {
    onInvalid(res, (err) => form(res, String(req.params.id), keptInput(req.body), err.fields));
    const value = validValue(parseForm(schema, req.body));
    if (value.name === "bezet") throw new ValidationError({ name: "errors.taken" });
    res.redirect(303, `/dingen/${req.params.id}`);
  });
  feature.post("/:id/weg", async (req, res) => {
    onInvalid(res, async () => {
      throw new NotFoundError("ding");
    });
    throw new ValidationError({ _form: "errors.invalid" });
  });
  feature.post("/:id/stuk-antwoord", async (_req, res) => {
    onInvalid(res, async () => {
      throw new Error("template exploded at views/x.hbs:3");
    });
    throw new ValidationError({ _form: "errors.invalid" });
  });
  feature.post("/:id/actief", async (req, res) => {
    onInvalidBackTo(req, res, `/dingen/${req.params.id}`);
    throw new ValidationError({ _form: "errors.lastAdmin" });
  });
  app.use("/dingen", feature);

  app.use(errorHandler);
  return app;
}

describe("HTTP: the error mapping (src/web/errors.ts)", () => {
  const session: Record<string, unknown> = {};
  const app = testApp(session);

  const noDetails = (text: string) => {
    expect(text).to.contain("<!doctype html>");
    expect(text).to.not.match(/at [\w.]+ \(|node_modules|stack|db\.internal|exploded/i);
  };

  it("a NotFoundError is the 404 page", async () => {
    const res = await request(app).get("/niet-gevonden");
    expect(res.status).to.equal(404);
    expect(res.text).to.contain("<h1>");
    noDetails(res.text);
  });

  it("a ForbiddenError is the 403 page", async () => {
    const res = await request(app).get("/verboden");
    expect(res.status).to.equal(403);
    noDetails(res.text);
  });

  it("any other error is the 500 page, without a word of what broke", async () => {
    const res = await request(app).get("/kapot");
    expect(res.status).to.equal(500);
    noDetails(res.text);
  });

  it("a ValidationError from a route that named no form is a plain 422 page, not a 500", async () => {
    const res = await request(app).post("/zonder-formulier").type("form").send({ name: "" });
    expect(res.status).to.equal(422);
    noDetails(res.text);
  });

  it("a wrong field re-renders the route's own form: 422, the message next to the field, the input kept", async () => {
    const res = await request(app).post("/dingen/7").type("form").send({ name: "", other: "x" });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('data-id="7"');
    expect(res.text).to.contain('<p data-field="name">errors.required</p>');
  });

  it("a rule the service refuses re-renders the same form with the user's input", async () => {
    const res = await request(app).post("/dingen/8").type("form").send({ name: "bezet" });
    expect(res.status).to.equal(422);
    expect(res.text).to.contain('data-id="8"');
    expect(res.text).to.contain('value="bezet"');
    expect(res.text).to.contain('<p data-field="name">errors.taken</p>');
  });

  it("good input goes on as the route says", async () => {
    const res = await request(app).post("/dingen/9").type("form").send({ name: "vrij" });
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal("/dingen/9");
  });

  it("an answer that fails itself takes the ordinary way: a NotFoundError is still a 404, anything else a bare 500", async () => {
    const gone = await request(app).post("/dingen/1/weg");
    expect(gone.status).to.equal(404);
    const broken = await request(app).post("/dingen/1/stuk-antwoord");
    expect(broken.status).to.equal(500);
    noDetails(broken.text);
  });

  it("a button without a form goes back with the refusal as an error message", async () => {
    const res = await request(app).post("/dingen/3/actief");
    expect(res.status).to.equal(303);
    expect(res.headers.location).to.equal("/dingen/3");
    expect(session.flash).to.deep.equal({ kind: "error", key: "errors.lastAdmin", params: undefined });
  });

  it("the API maps the same errors to problem documents with their code and the fields", async () => {
    const refused = await request(app).post("/api/dingen").set("Accept-Language", "en");
    expect(refused.status).to.equal(422);
    expect(refused.headers["content-type"]).to.match(/^application\/problem\+json/);
    expect(refused.body.code).to.equal("validation");
    expect(refused.body.errors).to.have.length(2);
    expect(refused.body.errors[0]).to.include({ field: "name", code: "errors.required" });
    expect(refused.body.errors[0].message).to.be.a("string").and.not.equal("errors.required");
    expect(refused.body.errors[1]).to.not.have.property("field");
    const missing = await request(app).get("/api/dingen/5");
    expect(missing.status).to.equal(404);
    expect(missing.body.code).to.equal("not_found");
  });
});
