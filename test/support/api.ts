import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { expect } from "chai";
import type { Knex } from "knex";
import request from "supertest";
import type { App } from "../../src/app";
import { openApiDocument } from "../../src/api/openapi";
import { hashApiToken, newApiToken, tokenHint } from "../../src/api/tokens/secret";

// Every answer of the API, in every test, is checked against the OpenAPI 3.1 document the app
// serves: the status must be documented for the operation, the content type must be the one
// documented, and the body must match the documented schema (JSON Schema 2020-12, by Ajv).
// The document itself is checked against the official OpenAPI 3.1 schema once.

type Doc = typeof openApiDocument;
type Json = Record<string, unknown>;

const DOC_ID = "https://dagdeel.test/openapi.json";
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(JSON.parse(JSON.stringify(openApiDocument)), DOC_ID);

const templates = Object.keys(openApiDocument.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`),
}));

function resolve(doc: Doc, node: Json): Json {
  let current = node;
  while (typeof current.$ref === "string") {
    const path = (current.$ref as string).replace(/^#\//, "").split("/");
    current = path.reduce<Json>((o, key) => o[key] as Json, doc as unknown as Json);
  }
  return current;
}

/** Checks one answer against the document; returns the schema name it was checked with. */
export function expectDocumented(method: string, url: string, res: request.Response): void {
  const path = new URL(url, "http://x").pathname.replace(/^\/api\/v1/, "");
  const found = templates.find((t) => t.pattern.test(path));
  const where = `${method.toUpperCase()} ${url} → ${res.status}`;
  if (!found) {
    // Undocumented paths answer 401 (no token) or 404 (with one), as problem documents.
    expect([401, 404, 429], `${where}: undocumented path`).to.include(res.status);
    expectProblem(res, where);
    return;
  }
  const item = (openApiDocument.paths as unknown as Record<string, Json>)[found.template];
  const operation = item[method.toLowerCase()] as Json | undefined;
  if (!operation) {
    expect(res.status, `${where}: undocumented method`).to.be.oneOf([401, 404]);
    expectProblem(res, where);
    return;
  }
  const responses = operation.responses as Record<string, Json>;
  const documented = responses[String(res.status)];
  expect(documented, `${where}: status not documented (${res.text.slice(0, 300)})`).to.not.equal(undefined);
  const response = resolve(openApiDocument, documented);
  const content = response.content as Record<string, { schema: Json }> | undefined;
  if (!content) {
    expect(res.text ?? "", `${where}: no body documented`).to.equal("");
    return;
  }
  const type = String(res.headers["content-type"] ?? "").split(";")[0];
  const media = content[type];
  expect(media, `${where}: content type ${type} not documented`).to.not.equal(undefined);
  const schemaRef = media.schema.$ref as string | undefined;
  const validate = schemaRef ? ajv.getSchema(`${DOC_ID}${schemaRef}`) : ajv.compile(media.schema);
  if (!validate) throw new Error(`no schema ${schemaRef}`);
  const body = JSON.parse(res.text);
  const ok = validate(body);
  expect(ok, `${where}: ${ajv.errorsText(validate.errors, { separator: "\n" })}\n${JSON.stringify(body).slice(0, 1500)}`).to.equal(true);
}

function expectProblem(res: request.Response, where: string): void {
  expect(String(res.headers["content-type"]), where).to.match(/^application\/problem\+json/);
  const validate = ajv.getSchema(`${DOC_ID}#/components/schemas/Problem`)!;
  expect(validate(JSON.parse(res.text)), `${where}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
}

export type ApiCall = { token?: string | null; body?: unknown; headers?: Record<string, string> };

/** Calls the API and checks the answer against the OpenAPI document before handing it back. */
export async function api(app: App, method: "get" | "post" | "delete" | "put", url: string, call: ApiCall = {}): Promise<request.Response> {
  let req = request(app)[method](url);
  if (call.token) req = req.set("Authorization", `Bearer ${call.token}`);
  for (const [k, v] of Object.entries(call.headers ?? {})) req = req.set(k, v);
  const typed = Object.keys(call.headers ?? {}).some((k) => k.toLowerCase() === "content-type");
  if (call.body !== undefined) req = typeof call.body === "string" ? (typed ? req : req.type("json")).send(call.body) : req.send(call.body as object);
  const res = await req;
  expectDocumented(method, url, res);
  return res;
}

/** A token straight into the table (the token pages have their own tests): returns the secret. */
export async function issueToken(
  db: Knex,
  row: { organisation_id: number; created_by: number; access?: "read" | "write"; label?: string; expires_on?: string; revoked_at?: string | null },
): Promise<string> {
  const token = newApiToken();
  const at = "2026-11-01T08:00:00.000Z";
  await db("api_tokens").insert({
    organisation_id: row.organisation_id,
    created_by: row.created_by,
    label: row.label ?? `test-${tokenHint(token)}`,
    token_hash: hashApiToken(token),
    token_hint: tokenHint(token),
    access: row.access ?? "read",
    expires_on: row.expires_on ?? "2027-06-30",
    revoked_at: row.revoked_at ?? null,
    created_at: at,
    updated_at: at,
  });
  return token;
}

/** The document passes the official OpenAPI 3.1 schema (by @seriousme/openapi-schema-validator). */
export async function validateDocument(doc: unknown): Promise<{ valid: boolean; errors: unknown; version: string }> {
  const { Validator } = await import("@seriousme/openapi-schema-validator");
  const validator = new Validator();
  const result = await validator.validate(JSON.parse(JSON.stringify(doc)));
  return { valid: result.valid, errors: result.errors, version: validator.version };
}
