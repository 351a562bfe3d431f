import type { Knex } from "knex";
import { prepared } from "../db/compiled";
import type { Scope } from "../auth/scope";
import { searchClients } from "../clients/repository";
import { parseClientQuery } from "../domain/client";
import { searchWords } from "../domain/search-key";
import { whereKeyHoldsWords } from "../db/name-keys";
import * as repo from "./schedule-repository";

// What a planning form offers to choose from: never every client or location of a region in
// one <select>, but the ones a search finds (server-side, so it works without JavaScript), the
// one already chosen, and before any search a short list worth starting from.

export const CHOICES_SHOWN = 20;

export type Choice = { value: number; text: string };

/** Clients matching a search (name, birth date or BSN), or the latest without a running schedule. */
export async function clientChoices(db: Knex, scope: Scope, search: string, today: string, chosen: number | null): Promise<Choice[]> {
  const found =
    search.trim() === ""
      ? await unplannedClients(db, today)
      : (await searchClients(db, scope, { query: parseClientQuery(search), villageId: null, status: "actief", today, limit: CHOICES_SHOWN, offset: 0 })).rows;
  const choices = found.map((c) => ({ value: c.id, text: `${c.first_name} ${c.last_name}${c.birth_date ? ` (${c.birth_date.split("-").reverse().join("-")})` : ""}` }));
  return withChosen(choices, chosen, async (id) => {
    const c: { id: number; first_name: string; last_name: string } | undefined = await db("clients").where({ id }).first("id", "first_name", "last_name");
    return c && { value: c.id, text: `${c.first_name} ${c.last_name}` };
  });
}

/**
 * Up to this many active locations in the actor's scope, a form lists them all in its
 * <select> (a village's or a provider's few); beyond it, the form searches (?plaats=) instead.
 */
export const LOCATIONS_LISTED_WHOLE = 30;

/** Which locations a choice holds: the active ones (where one books), or the closed ones too (overviews of the past). */
export type LocationsWhich = { inactiveToo?: boolean };

export type LocationOffer = { searchable: boolean; choices: Choice[] };

/** Locations in the actor's scope, with their provider: what every location choice starts from. */
function locationsInScope(db: Knex, scope: Scope, which: LocationsWhich) {
  const q = scope.providers(db("locations as l").join("organisations as o", "o.id", "l.provider_id"), "l.provider_id");
  return which.inactiveToo ? q : q.where("l.active", true);
}

/**
 * The locations a form offers: every one in scope while there are at most
 * LOCATIONS_LISTED_WHOLE (so no search is needed), otherwise what the search finds and the chosen one.
 */
export async function locationOffer(db: Knex, scope: Scope, search: string, chosen: number | null, which: LocationsWhich = {}): Promise<LocationOffer> {
  // A named statement on PostgreSQL: every page with a location chooser asks it (src/db/compiled.ts).
  const few: { id: number; name: string; provider_name: string }[] = await prepared(
    db,
    locationsInScope(db, scope, which)
      .select("l.id", "l.name", "o.name as provider_name")
      .orderBy([{ column: "o.sort_key" }, { column: "l.sort_key" }, { column: "l.id" }])
      .limit(LOCATIONS_LISTED_WHOLE + 1),
  );
  if (few.length <= LOCATIONS_LISTED_WHOLE) return { searchable: false, choices: few.map((l) => ({ value: l.id, text: `${l.name} (${l.provider_name})` })) };
  return { searchable: true, choices: await locationChoices(db, scope, search, chosen, which) };
}

/** Locations in scope whose name, provider or village matches, or none before a search. */
export async function locationChoices(db: Knex, scope: Scope, search: string, chosen: number | null, which: LocationsWhich = {}): Promise<Choice[]> {
  const terms = searchWords(search);
  const q = locationsInScope(db, scope, which).join("villages as v", "v.id", "l.village_id");
  whereKeyHoldsWords(q, "(l.search_key || ' ' || o.search_key || ' ' || v.search_key)", terms);
  const found: { id: number; name: string; provider_name: string; village: string }[] =
    terms.length === 0 ? [] : await q.select("l.id", "l.name", "o.name as provider_name", "v.name as village").orderBy([{ column: "l.sort_key" }, { column: "l.id" }]).limit(CHOICES_SHOWN);
  const choices = found.map((l) => ({ value: l.id, text: `${l.name} (${l.provider_name}, ${l.village})` }));
  // The chosen one, as the waiting list's other forms name a location: with its provider.
  return withChosen(choices, chosen, async (id) => {
    const l: { id: number; name: string; provider_name: string } | undefined = await locationsInScope(db, scope, which).where({ "l.id": id }).first("l.id", "l.name", "o.name as provider_name");
    return l && { value: l.id, text: `${l.name} (${l.provider_name})` };
  });
}

/**
 * Up to this many contracts that can fund a booking, the schedule form lists them all; beyond
 * it (a region's coordinator before a location is chosen), it searches them (?contractzoek=).
 */
export const CONTRACTS_LISTED_WHOLE = 30;

export type ContractChoice = repo.ContractRow;

/**
 * The contracts the schedule form offers: only those that can fund this client at this
 * location from this date (repo.fundingContracts), all of them while few, otherwise those a
 * search by reference, purchaser or provider finds; the chosen one stays offered either way.
 */
export async function contractOffer(db: Knex, fit: repo.ContractFit, search: string, chosen: number | null): Promise<{ searchable: boolean; choices: ContractChoice[] }> {
  const ordered = (q: Knex.QueryBuilder) => q.select(repo.CONTRACT_COLUMNS).orderBy([{ column: "pr.sort_key" }, { column: "pu.sort_key" }, { column: "c.valid_from" }, { column: "c.id" }]);
  const few: ContractChoice[] = await ordered(repo.fundingContracts(db, fit)).limit(CONTRACTS_LISTED_WHOLE + 1);
  if (few.length <= CONTRACTS_LISTED_WHOLE) return { searchable: false, choices: await withChosen(few, chosen, (id) => repo.findContract(db, id), (c) => c.id) };
  const terms = searchWords(search);
  const q = whereKeyHoldsWords(repo.fundingContracts(db, fit), "(lower(c.reference) || ' ' || pu.search_key || ' ' || pr.search_key)", terms);
  const found: ContractChoice[] = terms.length === 0 ? [] : await ordered(q).limit(CHOICES_SHOWN);
  return { searchable: true, choices: await withChosen(found, chosen, (id) => repo.findContract(db, id), (c) => c.id) };
}


/**
 * The hidden fields a search form carries so that searching loses nothing else on the page:
 * the pairs with a value, as the page's GET reads them.
 */
export function searchKeep(pairs: [string, string | number | null | undefined][]): { name: string; value: string }[] {
  return pairs.filter(([, value]) => value !== null && value !== undefined && value !== "").map(([name, value]) => ({ name, value: String(value) }));
}

/** The latest clients who have no schedule running from today: whom a coordinator plans next. */
function unplannedClients(db: Knex, today: string): Promise<{ id: number; first_name: string; last_name: string; birth_date: string | null }[]> {
  const running = db("schedules as s").whereRaw("s.client_id = c.id").where((w) => w.whereNull("s.valid_until").orWhere("s.valid_until", ">=", today)).select(db.raw("1"));
  return db("clients as c")
    .where((w) => w.whereNull("c.ended_on").orWhere("c.ended_on", ">=", today))
    .whereNotExists(running)
    .select("c.id", "c.first_name", "c.last_name", "c.birth_date")
    .orderBy("c.id", "desc")
    .limit(10);
}

/** The chosen one stays offered (first), whatever the search shows. */
async function withChosen<T = Choice>(
  choices: T[],
  chosen: number | null,
  load: (id: number) => Promise<T | undefined>,
  idOf: (choice: T) => number = (choice) => (choice as Choice).value,
): Promise<T[]> {
  if (chosen === null || choices.some((c) => idOf(c) === chosen)) return choices;
  const one = await load(chosen);
  return one ? [one, ...choices] : choices;
}
