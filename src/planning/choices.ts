import type { Knex } from "knex";
import type { Scope } from "../auth/scope";
import { searchClients } from "../clients/repository";
import { parseClientQuery } from "../domain/client";
import { searchWords } from "../domain/search-key";
import { whereKeyHoldsWords } from "../db/name-keys";

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

/**
 * The locations a form offers: every active one in scope while there are at most
 * LOCATIONS_LISTED_WHOLE (so no search is needed), otherwise what the search finds and the chosen one.
 */
export async function locationOffer(db: Knex, scope: Scope, search: string, chosen: number | null): Promise<{ searchable: boolean; choices: Choice[] }> {
  const few: { id: number; name: string; provider_name: string }[] = await scope.providers(
    db("locations as l").join("organisations as o", "o.id", "l.provider_id").where("l.active", true),
    "l.provider_id",
  )
    .select("l.id", "l.name", "o.name as provider_name")
    .orderBy([{ column: "o.sort_key" }, { column: "l.sort_key" }, { column: "l.id" }])
    .limit(LOCATIONS_LISTED_WHOLE + 1);
  if (few.length <= LOCATIONS_LISTED_WHOLE) return { searchable: false, choices: few.map((l) => ({ value: l.id, text: `${l.name} (${l.provider_name})` })) };
  return { searchable: true, choices: await locationChoices(db, scope, search, chosen) };
}

/** Active locations in scope whose name, provider or village matches, or none before a search. */
export async function locationChoices(db: Knex, scope: Scope, search: string, chosen: number | null): Promise<Choice[]> {
  const terms = searchWords(search);
  const q = scope.providers(db("locations as l").join("organisations as o", "o.id", "l.provider_id").join("villages as v", "v.id", "l.village_id").where("l.active", true), "l.provider_id");
  whereKeyHoldsWords(q, "(l.search_key || ' ' || o.search_key || ' ' || v.search_key)", terms);
  const found: { id: number; name: string; provider_name: string; village: string }[] =
    terms.length === 0 ? [] : await q.select("l.id", "l.name", "o.name as provider_name", "v.name as village").orderBy([{ column: "l.sort_key" }, { column: "l.id" }]).limit(CHOICES_SHOWN);
  const choices = found.map((l) => ({ value: l.id, text: `${l.name} (${l.provider_name}, ${l.village})` }));
  // The chosen one, as the waiting list's other forms name a location: with its provider.
  return withChosen(choices, chosen, async (id) => {
    const l: { id: number; name: string; provider_name: string } | undefined = await scope
      .providers(db("locations as l").join("organisations as o", "o.id", "l.provider_id"), "l.provider_id")
      .where({ "l.id": id, "l.active": true })
      .first("l.id", "l.name", "o.name as provider_name");
    return l && { value: l.id, text: `${l.name} (${l.provider_name})` };
  });
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
async function withChosen(choices: Choice[], chosen: number | null, load: (id: number) => Promise<Choice | undefined>): Promise<Choice[]> {
  if (chosen === null || choices.some((c) => c.value === chosen)) return choices;
  const one = await load(chosen);
  return one ? [one, ...choices] : choices;
}
