import { ATTENDANCE_STATUSES } from "../domain/attendance";
import { DAGDELEN } from "../domain/dagdeel";
import { MAX_LIMIT, DEFAULT_LIMIT } from "./paging";

// The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. The tests check the
// document against the OpenAPI 3.1 schema and every answer of the API against it; its object
// schemas forbid properties they do not list, so an answer cannot drift from it unnoticed.

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const nullable = (type: string, extra: Schema = {}): Schema => ({ type: [type, "null"], ...extra });
const str: Schema = { type: "string" };
const int: Schema = { type: "integer" };
const bool: Schema = { type: "boolean" };
const date: Schema = { type: "string", format: "date" };
const dateTime: Schema = { type: "string", format: "date-time" };
const nullableDate = nullable("string", { format: "date" });
const dagdeel: Schema = { type: "string", enum: [...DAGDELEN] };
const arrayOf = (items: Schema): Schema => ({ type: "array", items });

/** An object whose listed properties are all present, and nothing else. */
function object(properties: Record<string, Schema>, optional: string[] = []): Schema {
  return { type: "object", additionalProperties: false, required: Object.keys(properties).filter((k) => !optional.includes(k)), properties };
}

const pageInfo = object({ limit: { type: "integer", minimum: 1, maximum: MAX_LIMIT }, offset: { type: "integer", minimum: 0 }, total: { type: "integer", minimum: 0 } });

/** A page of items, with whatever else the list carries alongside. */
const pageOf = (item: Schema, extra: Record<string, Schema> = {}): Schema => object({ ...extra, items: arrayOf(item), page: ref("PageInfo") });

const json = (schema: Schema) => ({ "application/json": { schema } });

const problemResponse = (description: string) => ({ description, content: { "application/problem+json": { schema: ref("Problem") } } });

const errors = {
  "401": { $ref: "#/components/responses/Unauthorized" },
  "403": { $ref: "#/components/responses/Forbidden" },
  "404": { $ref: "#/components/responses/NotFound" },
  "422": { $ref: "#/components/responses/Invalid" },
  "429": { $ref: "#/components/responses/TooManyRequests" },
};

const paging = [{ $ref: "#/components/parameters/limit" }, { $ref: "#/components/parameters/offset" }];
const idParam = (name: string, description: string) => ({ name, in: "path", required: true, description, schema: { type: "integer", minimum: 1 } });
const queryParam = (name: string, description: string, schema: Schema) => ({ name, in: "query", required: false, description, schema });

function read(operationId: string, summary: string, schema: string, parameters: unknown[] = []) {
  return { get: { operationId, summary, tags: [operationId.replace(/^(list|get)/, "")], parameters, responses: { "200": { description: "OK", content: json(ref(schema)) }, ...errors } } };
}

const party = object({ id: int, name: str });
const partyWithKind = object({ id: int, name: str, subkind: str });
const measure = object({ units: int, cents: int });
const week = arrayOf(object({ weekday: { type: "integer", minimum: 1, maximum: 7 }, ochtend: nullable("integer"), middag: nullable("integer") }));

const locationProps = {
  id: int,
  name: str,
  provider: partyWithKind,
  village: party,
  street: str,
  postcode: str,
  active: bool,
  dagdeel_times: object({ ochtend: object({ start: str, end: str }), middag: object({ start: str, end: str }) }),
};

const contractProps = {
  id: int,
  reference: str,
  kind: { type: "string", enum: ["inkoop", "subsidie"] },
  status: { type: "string", enum: ["concept", "actief", "beeindigd"] },
  purchaser: partyWithKind,
  provider: party,
  valid_from: date,
  valid_until: date,
  budget_ceiling_cents: nullable("integer"),
  subsidy_amount_cents: nullable("integer"),
  subsidy_target_dagdelen: nullable("integer"),
  no_show_billable: bool,
};

const declarationProps = {
  id: int,
  number: str,
  provider: party,
  purchaser: partyWithKind,
  month: { type: "string", pattern: "^\\d{4}-\\d{2}$" },
  status: { type: "string", enum: ["concept", "ingediend", "geaccepteerd", "afgewezen"] },
  corrects_declaration_id: nullable("integer"),
  total_cents: int,
  submitted_at: nullable("string", { format: "date-time" }),
  decided_at: nullable("string", { format: "date-time" }),
  rejection_reason: nullable("string"),
};

const schemas: Record<string, Schema> = {
  PageInfo: pageInfo,
  Problem: object(
    {
      type: str,
      status: int,
      title: str,
      code: { type: "string", description: "What a client branches on: unauthenticated, invalid_token, read_only_token, forbidden, not_found, validation, rate_limited, malformed_json, …" },
      detail: str,
      errors: arrayOf(object({ field: str, code: { type: "string", description: "The locale key of the message" }, message: str }, ["field"])),
    },
    ["detail", "errors"],
  ),
  Location: object(locationProps),
  LocationDetail: object({
    ...locationProps,
    capacity: object({
      date,
      week,
      periods: arrayOf(object({ valid_from: date, valid_until: nullableDate, state: { type: "string", enum: ["past", "current", "planned"] }, week })),
    }),
    closures: arrayOf(object({ id: int, location_id: nullable("integer"), starts_on: date, ends_on: date, dagdeel: { type: ["string", "null"], enum: [...DAGDELEN, null] }, reason: str })),
  }),
  LocationPage: pageOf(ref("Location")),
  FreePlaces: pageOf(
    object({
      village: str,
      total_free: int,
      locations: arrayOf(object({ id: int, name: str, provider: partyWithKind })),
      rows: arrayOf(
        object({
          weekday: int,
          dagdeel,
          steady: object({ free: nullable("integer"), state: str }),
          cells: arrayOf(object({ date, state: str, free: int, parts: arrayOf(object({ name: str, free: int, closed: bool })), closure_reasons: arrayOf(str) })),
        }),
      ),
    }),
    { from: date, until: date, weeks: arrayOf(date), total_free: int },
  ),
  Client: object({
    id: int,
    first_name: str,
    last_name: str,
    bsn_masked: nullable("string"),
    birth_date: nullableDate,
    village: nullable("string"),
    ended_on: nullableDate,
    status: { type: "string", enum: ["actief", "beeindigd"] },
    scheduled_at: { ...arrayOf(str), description: "The locations the client is scheduled at today" },
  }),
  ClientPage: pageOf(ref("Client")),
  ClientDetail: object({
    id: int,
    first_name: str,
    last_name: str,
    bsn_masked: nullable("string"),
    birth_date: nullableDate,
    village: nullable("string"),
    street: nullable("string"),
    postcode: nullable("string"),
    phone: nullable("string"),
    needs_transport: bool,
    wheelchair: bool,
    notes: nullable("string"),
    ended_on: nullableDate,
    status: { type: "string", enum: ["actief", "beeindigd"] },
    allocations: arrayOf(
      object({
        id: int,
        reference: str,
        purchaser: party,
        provider: party,
        product: object({ code: str, name: str, unit: str }),
        volume: int,
        frequency: { type: "string", enum: ["week", "maand", "totaal"] },
        valid_from: date,
        valid_until: nullableDate,
      }),
    ),
    schedules: arrayOf(ref("Schedule")),
    attendance: { oneOf: [{ type: "null" }, object({ from: date, until: date, counts: { type: "object", additionalProperties: int } })] },
  }),
  Schedule: object({
    id: int,
    client_id: int,
    location: object({ id: int, name: str, provider_name: str }),
    funding: { type: "string", enum: ["toewijzing", "subsidie", "pgb", "eigen"] },
    allocation_reference: nullable("string"),
    contract_reference: nullable("string"),
    valid_from: date,
    valid_until: nullableDate,
    week_parity: { type: "string", enum: ["elke", "even", "oneven"] },
    slots: arrayOf(object({ weekday: { type: "integer", minimum: 1, maximum: 7 }, dagdeel })),
  }),
  SchedulePage: pageOf(ref("Schedule")),
  AttendanceDay: pageOf(
    object({
      client_id: int,
      name: str,
      village: nullable("string"),
      dagdeel,
      expected: bool,
      status: { type: ["string", "null"], enum: [...ATTENDANCE_STATUSES, null] },
      recorded_by: nullable("string"),
      recorded_at: nullable("string", { format: "date-time" }),
      elsewhere: bool,
      locked: bool,
    }),
    {
      location_id: int,
      date,
      dagdelen: arrayOf(
        object({
          dagdeel,
          start: str,
          end: str,
          available: bool,
          closed: bool,
          closure_reasons: arrayOf(str),
          places: int,
          expected: int,
          unrecorded: int,
          counts: object(Object.fromEntries(ATTENDANCE_STATUSES.map((s) => [s, int]))),
        }),
      ),
    },
  ),
  AttendanceInput: object({ client_id: { type: "integer", minimum: 1 }, date, dagdeel, status: { type: "string", enum: [...ATTENDANCE_STATUSES] } }),
  AttendanceRecorded: object({ location_id: int, client_id: int, date, dagdeel, status: { type: "string", enum: [...ATTENDANCE_STATUSES] }, changed: bool }),
  EveryonePresentInput: object({ date, dagdeel }),
  EveryonePresent: object({ location_id: int, date, dagdeel, marked: int, skipped_locked: int }),
  Contract: object({
    ...contractProps,
    use: object({ realised_cents: int, forecast_cents: int, realised_dagdelen: int, forecast_dagdelen: int, percent: nullable("integer"), level: ref("Level") }),
  }),
  Level: { type: "string", enum: ["none", "near", "over"], description: "80 % of a ceiling reached (near) or 100 % (over)" },
  ContractPage: pageOf(ref("Contract")),
  ContractDetail: object({
    ...contractProps,
    use: object({
      date,
      realised: measure,
      planned: measure,
      forecast: measure,
      unpriced_realised: int,
      unpriced_planned: int,
      budget: object({ ceiling_cents: nullable("integer"), percent_realised: nullable("integer"), percent_forecast: nullable("integer"), level: ref("Level") }),
      subsidy: {
        oneOf: [
          { type: "null" },
          object({
            amount_cents: nullable("integer"),
            target_dagdelen: nullable("integer"),
            realised_dagdelen: int,
            planned_dagdelen: int,
            forecast_dagdelen: int,
            percent_realised: nullable("integer"),
            percent_forecast: nullable("integer"),
            cost_per_realised_cents: nullable("integer"),
          }),
        ],
      },
      level: ref("Level"),
    }),
    lines: arrayOf(
      object({
        id: int,
        product: object({ id: int, code: str, name: str, unit: str }),
        tariff_cents: int,
        volume_ceiling: nullable("integer"),
        valid_from: date,
        valid_until: date,
        realised: measure,
        planned: measure,
        forecast: measure,
        volume_percent_realised: nullable("integer"),
        volume_percent_forecast: nullable("integer"),
        level: ref("Level"),
      }),
    ),
    months: arrayOf(object({ month: { type: "string", pattern: "^\\d{4}-\\d{2}$" }, product_id: int, realised: measure, planned: measure })),
  }),
  Declaration: object(declarationProps),
  DeclarationPage: pageOf(ref("Declaration")),
  DeclarationDetail: object({
    ...declarationProps,
    lines: pageOf(
      object({
        id: int,
        client: object({ id: int, name: str, bsn_masked: nullable("string") }),
        allocation_reference: nullable("string"),
        product: object({ id: int, code: str, name: str, unit: str }),
        period_from: date,
        period_until: date,
        units: int,
        tariff_cents: int,
        amount_cents: int,
        debit_credit: { type: "string", enum: ["D", "C"] },
      }),
    ),
  }),
};

const write = (operationId: string, summary: string, body: string | null, response: { status: string; schema: string | null }) => ({
  operationId,
  summary,
  tags: ["Attendance"],
  ...(body ? { requestBody: { required: true, content: json(ref(body)) } } : {}),
  responses: {
    [response.status]: response.schema ? { description: "OK", content: json(ref(response.schema)) } : { description: "Done" },
    "400": problemResponse("The body is not well-formed JSON"),
    "413": problemResponse("The body is too large"),
    "415": problemResponse("The body is not application/json"),
    ...errors,
  },
});

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "dagdeel API",
    version: "1.0.0",
    description:
      "Read locations, free places, clients, schedules, attendance, contracts and declarations; record attendance. " +
      "Authenticate with an API token of your organisation (`Authorization: Bearer dgd_…`), made at /api-sleutels. " +
      "A token acts as its organisation (provider or purchaser) and sees what that organisation sees in dagdeel. " +
      `Every list is a page: ?limit= (1–${MAX_LIMIT}, default ${DEFAULT_LIMIT}) and ?offset=. Errors are application/problem+json. ` +
      "Dates are yyyy-MM-dd, money integer eurocents.",
  },
  servers: [{ url: "/api/v1" }],
  security: [{ token: [] }],
  paths: {
    "/openapi.json": {
      get: {
        operationId: "getDescription",
        summary: "This description (no token needed)",
        tags: ["Description"],
        security: [],
        responses: { "200": { description: "The OpenAPI 3.1 document", content: json({ type: "object" }) } },
      },
    },
    "/locations": read("listLocations", "The locations the caller may see", "LocationPage", paging),
    "/locations/{id}": read("getLocation", "A location with its capacity and coming closures", "LocationDetail", [idParam("id", "Location id")]),
    "/free-places": read("listFreePlaces", "Free places per village, weekday and dagdeel over the coming weeks (one village per item)", "FreePlaces", [
      queryParam("weeks", "How many weeks, from this Monday", { type: "integer", enum: [1, 2, 3, 4, 6, 8, 12], default: 4 }),
      queryParam("subkind", "Only providers of this kind", { type: "string", enum: ["dorpsdagvoorziening", "zorgboerderij", "overig"] }),
      queryParam("product_id", "Only providers contracted for this product", { type: "integer", minimum: 1 }),
      ...paging,
    ]),
    "/clients": read("listClients", "The caller's clients, as /clienten finds them", "ClientPage", [
      queryParam("q", "Name words, or a whole BSN", { type: "string", maxLength: 100 }),
      queryParam("village_id", "Only clients of this village", { type: "integer", minimum: 1 }),
      queryParam("status", "actief (default), beeindigd or alle", { type: "string", enum: ["actief", "beeindigd", "alle"] }),
      ...paging,
    ]),
    "/clients/{id}": read("getClient", "A client with allocations, schedules and recent attendance", "ClientDetail", [idParam("id", "Client id")]),
    "/schedules": read("listSchedules", "The schedules the caller may see, newest first", "SchedulePage", [
      queryParam("client_id", "Only this client's", { type: "integer", minimum: 1 }),
      queryParam("location_id", "Only at this location", { type: "integer", minimum: 1 }),
      queryParam("active_on", "Only those running on this date", date),
      ...paging,
    ]),
    "/locations/{id}/attendance": {
      get: {
        operationId: "getAttendance",
        summary: "The daily attendance list of a location: who is expected and what was recorded (coordinators and providers)",
        tags: ["Attendance"],
        parameters: [idParam("id", "Location id"), queryParam("date", "The day (default today)", date), ...paging],
        responses: { "200": { description: "OK", content: json(ref("AttendanceDay")) }, ...errors },
      },
      post: {
        ...write("recordAttendance", "Record one client's status for a dagdeel (status extra: an unplanned client who came); needs a read-write token", "AttendanceInput", { status: "200", schema: "AttendanceRecorded" }),
        parameters: [idParam("id", "Location id")],
      },
      delete: {
        ...write("undoAttendance", "Take back a recording: the dagdeel is unrecorded again; needs a read-write token", null, { status: "204", schema: null }),
        parameters: [
          idParam("id", "Location id"),
          { name: "client_id", in: "query", required: true, schema: { type: "integer", minimum: 1 } },
          { name: "date", in: "query", required: true, schema: date },
          { name: "dagdeel", in: "query", required: true, schema: dagdeel },
        ],
      },
    },
    "/locations/{id}/attendance/everyone-present": {
      post: {
        ...write("everyonePresent", "Mark everyone expected and not yet recorded as present; needs a read-write token", "EveryonePresentInput", { status: "200", schema: "EveryonePresent" }),
        parameters: [idParam("id", "Location id")],
      },
    },
    "/contracts": read("listContracts", "Purchase agreements with their use, newest period first", "ContractPage", paging),
    "/contracts/{id}": read("getContract", "A contract with its use per line and month", "ContractDetail", [idParam("id", "Contract id")]),
    "/declarations": read("listDeclarations", "Declarations the caller may see", "DeclarationPage", paging),
    "/declarations/{id}": read("getDeclaration", "A declaration with a page of its lines", "DeclarationDetail", [idParam("id", "Declaration id"), ...paging]),
  },
  components: {
    securitySchemes: { token: { type: "http", scheme: "bearer", description: "An API token (dgd_…) of your organisation" } },
    parameters: {
      limit: { name: "limit", in: "query", required: false, description: `Page size, at most ${MAX_LIMIT}`, schema: { type: "integer", minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT } },
      offset: { name: "offset", in: "query", required: false, description: "Items to skip", schema: { type: "integer", minimum: 0, default: 0 } },
    },
    responses: {
      Unauthorized: problemResponse("No token, or one that is unknown, expired or revoked"),
      Forbidden: problemResponse("The token's organisation may not do this, or the token is read-only"),
      NotFound: problemResponse("Not there, or not the caller's to see"),
      Invalid: problemResponse("The input, or a rule, refused the request; errors name the fields"),
      TooManyRequests: problemResponse("Too many requests with this token; try again after RateLimit-Reset seconds"),
    },
    schemas,
  },
} as const;

export type OpenApiDocument = typeof openApiDocument;
