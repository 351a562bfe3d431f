import type { AllocationRow } from "../allocations/repository";
import { nameSearchKey } from "../domain/search-key";
import type { Frequency } from "../domain/allocation";
import { isValidBsn } from "../domain/bsn";
import { eenheidOfProduct, mapOmvang, type MappingNote, type MappingProblem } from "./codes";
import { firstNameOf, joinStreet, lastNameOf, normalisePostcode, preferredAddress } from "./person";
import type { Wmo301, Wmo301Product } from "./wmo301";

// What applying WMO301 messages would do, worked out before anything is written: per file its
// gemeente and provider, per client whether dagdeel knows it (by BSN), per toegewezen product
// the dagdeel product it matches (ProductCategorie + ProductCode), its volume and period in
// dagdeel's terms, and how it changes the allocation with that ToewijzingNummer. The preview
// shows this plan and applying executes it; the plan is made again inside the transaction that
// applies it. Pure: everything it needs from the database comes in as `Known`.

export type KnownOrganisation = { id: number; name: string; subkind: string };
export type KnownClient = {
  id: number;
  first_name: string;
  last_name: string;
  birth_date: string | null;
  street: string | null;
  postcode: string | null;
  village_id: number | null;
  ended_on: string | null;
  /** May the uploader see this client's details (a provider: only its own clients)? */
  visible: boolean;
};
export type KnownAllocation = Pick<AllocationRow, "id" | "client_id" | "provider_id" | "product_id" | "volume" | "frequency" | "valid_from" | "valid_until">;
export type KnownProduct = { id: number; code: string; name: string; unit: string; iwmo_unit: string | null; active: boolean };

export type Known = {
  today: string;
  /** The provider a provider user uploads for; null for a coordinator (any provider). */
  uploaderProviderId: number | null;
  purchasersByGemeentecode: Map<string, KnownOrganisation>;
  providersByAgb: Map<string, KnownOrganisation>;
  clientsByBsn: Map<string, KnownClient>;
  /** Keyed by allocationKey(purchaserId, ToewijzingNummer). */
  allocations: Map<string, KnownAllocation>;
  /** Keyed by productKey(category, code). */
  products: Map<string, KnownProduct>;
  /** Keyed by the village name's search key (nameSearchKey: "Súdwest" and "sudwest" alike). */
  villages: Map<string, { id: number; name: string }>;
};

export const allocationKey = (purchaserId: number, reference: string) => `${purchaserId}|${reference}`;
export const productKey = (category: string, code: string) => `${category}|${code}`;

export type FileProblem =
  | { code: "unknownGemeente"; gemeentecode: string }
  | { code: "notGemeente"; name: string }
  | { code: "unknownProvider"; agb: string }
  | { code: "otherProvider"; agb: string };

export type ClientProblem = { code: "bsn"; bsn: string } | { code: "noFirstName" } | { code: "tooLong"; field: string } | { code: "birthDate" };

export type ProductProblem =
  | { code: "noProduct" }
  | { code: "unknownProduct"; category: string; productCode: string }
  | { code: "inactiveProduct"; productCode: string }
  | { code: "noOmvang" }
  | { code: "mapping"; detail: MappingProblem }
  | { code: "period" }
  | { code: "otherClient" }
  | { code: "otherProvider" }
  | { code: "clientEnded"; endedOn: string }
  | { code: "client" };

export type ChangeKind = "new" | "unchanged" | "extended" | "shortened" | "ended" | "startMoved" | "volume" | "product";

export type AllocationValues = { product_id: number; volume: number; frequency: Frequency; valid_from: string; valid_until: string | null };

export type ProductPlan = {
  message: Wmo301Product;
  product: KnownProduct | null;
  values: AllocationValues | null;
  notes: MappingNote[];
  problems: ProductProblem[];
  changes: ChangeKind[];
  before: KnownAllocation | null;
  /** Applying writes something for this product. */
  writes: boolean;
};

export type ClientFields = { first_name: string; last_name: string; birth_date: string; street: string | null; postcode: string | null; village_id: number | null };

export type ClientPlan = {
  bsn: string;
  /** dagdeel's client with this BSN; null when the import creates it (or an earlier file in it does). */
  existing: KnownClient | null;
  createdByEarlierFile: boolean;
  incoming: ClientFields;
  placeName: string | null;
  /** Fields of an existing client that are empty in dagdeel and filled from the message. */
  fills: Partial<ClientFields>;
  /** Fields where dagdeel and the message differ; dagdeel keeps its own (shown, not overwritten). */
  differs: (keyof ClientFields)[];
  problems: ClientProblem[];
  products: ProductPlan[];
};

export type FilePlan = {
  name: string;
  message: Wmo301;
  purchaser: KnownOrganisation | null;
  provider: KnownOrganisation | null;
  problems: FileProblem[];
  client: ClientPlan;
};

export type ImportPlan = { files: FilePlan[]; blocked: boolean; writes: number };

const MAX_NAME = 100;

function clientFields(message: Wmo301, known: Known): { fields: ClientFields; placeName: string | null; problems: ClientProblem[] } {
  const c = message.client;
  const problems: ClientProblem[] = [];
  const first = firstNameOf(c.naam);
  const last = lastNameOf(c.naam);
  if (!isValidBsn(c.bsn)) problems.push({ code: "bsn", bsn: c.bsn });
  if (!first) problems.push({ code: "noFirstName" });
  if (first.length > MAX_NAME) problems.push({ code: "tooLong", field: "first_name" });
  if (last.length > MAX_NAME) problems.push({ code: "tooLong", field: "last_name" });
  if (c.geboortedatum > known.today) problems.push({ code: "birthDate" });
  const address = preferredAddress(c.addresses);
  const street = address ? joinStreet(address) || null : null;
  const postcode = address?.postcode ? normalisePostcode(address.postcode) : null;
  const placeName = address?.plaatsnaam ?? null;
  const village = placeName ? known.villages.get(nameSearchKey(placeName)) : undefined;
  return {
    fields: {
      first_name: first,
      last_name: last,
      birth_date: c.geboortedatum,
      street: street && street.length <= 200 ? street : null,
      // dagdeel keeps Dutch postcodes ("5988 AA"); a longer foreign one stays in the message only.
      postcode: postcode && postcode.length <= 7 ? postcode : null,
      village_id: village?.id ?? null,
    },
    placeName,
    problems,
  };
}

const FIELDS: (keyof ClientFields)[] = ["first_name", "last_name", "birth_date", "street", "postcode", "village_id"];

function compareClient(existing: KnownClient, incoming: ClientFields): { fills: Partial<ClientFields>; differs: (keyof ClientFields)[] } {
  const fills: Partial<ClientFields> = {};
  const differs: (keyof ClientFields)[] = [];
  for (const f of FIELDS) {
    const mine = existing[f];
    const theirs = incoming[f];
    if (theirs === null || theirs === "") continue;
    if (mine === null || mine === "") (fills as Record<string, unknown>)[f] = theirs;
    else if (String(mine) !== String(theirs)) differs.push(f);
  }
  return { fills, differs };
}

/** How an incoming allocation changes the one dagdeel has under the same ToewijzingNummer. */
export function changesOf(before: KnownAllocation | null, after: AllocationValues, today: string): ChangeKind[] {
  if (!before) return ["new"];
  const out: ChangeKind[] = [];
  if (before.product_id !== after.product_id) out.push("product");
  if (before.volume !== after.volume || before.frequency !== after.frequency) out.push("volume");
  if (before.valid_from !== after.valid_from) out.push("startMoved");
  const oldEnd = before.valid_until ?? "9999-12-31";
  const newEnd = after.valid_until ?? "9999-12-31";
  if (newEnd > oldEnd) out.push("extended");
  if (newEnd < oldEnd) out.push(newEnd < today ? "ended" : "shortened");
  return out.length > 0 ? out : ["unchanged"];
}

function planProduct(p: Wmo301Product, ctx: { purchaser: KnownOrganisation; provider: KnownOrganisation; clientId: number | null; client: ClientPlan; known: Known; overlay: Map<string, KnownAllocation> }): ProductPlan {
  const { known } = ctx;
  const problems: ProductProblem[] = [];
  let notes: MappingNote[] = [];
  let product: KnownProduct | null = null;
  let mapped: { volume: number; frequency: Frequency } | null = null;

  if (!p.categorie || !p.code) problems.push({ code: "noProduct" });
  else {
    product = known.products.get(productKey(p.categorie, p.code)) ?? null;
    if (!product) problems.push({ code: "unknownProduct", category: p.categorie, productCode: p.code });
    else if (!product.active) problems.push({ code: "inactiveProduct", productCode: p.code });
  }
  if (!p.omvang) problems.push({ code: "noOmvang" });
  else if (product) {
    const m = mapOmvang(p.omvang, eenheidOfProduct(product));
    notes = m.notes;
    if (m.ok) mapped = { volume: m.volume, frequency: m.frequency };
    else problems.push({ code: "mapping", detail: m.problem });
  }
  if (p.einddatum !== undefined && p.einddatum < p.ingangsdatum) problems.push({ code: "period" });
  if (ctx.client.problems.length > 0) problems.push({ code: "client" });
  const endedOn = ctx.client.existing?.ended_on ?? null;
  if (endedOn !== null && p.ingangsdatum > endedOn) problems.push({ code: "clientEnded", endedOn });

  const key = allocationKey(ctx.purchaser.id, p.toewijzingNummer);
  const before = ctx.overlay.get(key) ?? known.allocations.get(key) ?? null;
  if (before && before.client_id !== (ctx.clientId ?? -1)) problems.push({ code: "otherClient" });
  if (before && before.provider_id !== ctx.provider.id) problems.push({ code: "otherProvider" });

  const values: AllocationValues | null =
    product && mapped ? { product_id: product.id, volume: mapped.volume, frequency: mapped.frequency, valid_from: p.ingangsdatum, valid_until: p.einddatum ?? null } : null;
  const changes = values ? changesOf(before, values, known.today) : [];
  const writes = problems.length === 0 && values !== null && !changes.includes("unchanged");
  if (writes && values) {
    // A later file in the same upload compares with what this one leaves behind.
    ctx.overlay.set(key, { id: before?.id ?? -1, client_id: ctx.clientId ?? -1, provider_id: ctx.provider.id, ...values });
  }
  return { message: p, product, values, notes, problems, changes, before, writes };
}

/**
 * The plan for a set of WMO301 messages, in message order (Dagtekening, then as uploaded), so
 * a later message about the same ToewijzingNummer wins, as it would at the provider's.
 */
export function planImport(files: { name: string; message: Wmo301 }[], known: Known): ImportPlan {
  const ordered = files.map((f, i) => ({ ...f, i })).sort((a, b) => a.message.header.dagtekening.localeCompare(b.message.header.dagtekening) || a.i - b.i);
  const overlay = new Map<string, KnownAllocation>();
  const createdClients = new Map<string, number>(); // BSN → a placeholder id, negative
  const plans: FilePlan[] = [];
  for (const f of ordered) {
    const h = f.message.header;
    const problems: FileProblem[] = [];
    const purchaser = known.purchasersByGemeentecode.get(h.afzender) ?? null;
    const provider = known.providersByAgb.get(h.ontvanger) ?? null;
    if (!purchaser) problems.push({ code: "unknownGemeente", gemeentecode: h.afzender });
    else if (purchaser.subkind !== "gemeente") problems.push({ code: "notGemeente", name: purchaser.name });
    if (!provider) problems.push({ code: "unknownProvider", agb: h.ontvanger });
    if (known.uploaderProviderId !== null && provider?.id !== known.uploaderProviderId) problems.push({ code: "otherProvider", agb: h.ontvanger });

    const bsn = f.message.client.bsn;
    const { fields, placeName, problems: clientProblems } = clientFields(f.message, known);
    const existing = known.clientsByBsn.get(bsn) ?? null;
    const createdByEarlierFile = !existing && createdClients.has(bsn);
    const compared = existing ? compareClient(existing, fields) : { fills: {}, differs: [] };
    const client: ClientPlan = { bsn, existing, createdByEarlierFile, incoming: fields, placeName, ...compared, problems: clientProblems, products: [] };
    if (problems.length === 0 && purchaser && provider) {
      if (!existing && !createdByEarlierFile && clientProblems.length === 0) createdClients.set(bsn, -(createdClients.size + 1));
      const clientId = existing?.id ?? createdClients.get(bsn) ?? null;
      client.products = f.message.client.producten.map((p) => planProduct(p, { purchaser, provider, clientId, client, known, overlay }));
    }
    plans.push({ name: f.name, message: f.message, purchaser, provider, problems, client });
  }
  const blocked = plans.some((p) => p.problems.length > 0);
  const writes = plans.reduce((n, p) => n + p.client.products.filter((x) => x.writes).length + (clientWrites(p.client) ? 1 : 0), 0);
  return { files: plans, blocked, writes };
}

/** Does applying write the client itself: a new client, or empty fields filled? */
export function clientWrites(c: ClientPlan): boolean {
  if (c.problems.length > 0) return false;
  if (c.existing) return Object.keys(c.fills).length > 0;
  return !c.createdByEarlierFile;
}
