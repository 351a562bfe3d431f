import { z } from "zod";
import { searchWords } from "../domain/search-key";
import { optionalChoice, optionalText, parseId } from "../web/fields";
import { keptInput, parseForm, type FieldErrors } from "../web/forms";
import { urlWithParams, type PageParams } from "../web/pagination";
import type { OrganisationKind, OrganisationSubkind } from "./repository";
import { SUBKINDS } from "./service";

// The filters of the two organisation lists (/organisaties and the admin's
// /beheer/organisaties, issue 11.4): a GET form whose values travel in the page's address, so
// the page links and the admin's activate button keep them.

/** Organisations a page: a region has a few hundred. */
export const ORGANISATIONS_PER_PAGE = 50;

const STATUSES = ["actief", "inactief"] as const;
const ALL_SUBKINDS = [...SUBKINDS.purchaser, ...SUBKINDS.provider] as OrganisationSubkind[];

const schema = z.object({
  zoek: optionalText(100),
  soort: optionalChoice(ALL_SUBKINDS),
});
const adminSchema = schema.extend({ status: optionalChoice(STATUSES) });

/** What the repository filters on: every word of the search in the name or a code, one subkind, active or not. */
export type OrganisationFilter = { words: string[]; subkind: OrganisationSubkind | null; active: boolean | null };

export type ParsedFilter =
  | { ok: true; filter: OrganisationFilter; params: PageParams; page: number | null; values: Record<string, string> }
  | { ok: false; errors: FieldErrors; values: Record<string, string> };

/**
 * The list's query string: the filter, the parameters its page links keep (the values as
 * given, without the page) and the page asked for. A page that is not a number is the first
 * page, as on every list; a wrong search, kind or status is the user's to correct (422).
 */
export function parseOrganisationFilter(query: unknown, withStatus: boolean): ParsedFilter {
  const form = parseForm(withStatus ? adminSchema : schema, query);
  const values = keptInput(query);
  delete values.pagina;
  if (!form.ok) return { ok: false, errors: form.errors, values };
  const f = form.value as z.output<typeof adminSchema>;
  return {
    ok: true,
    filter: { words: f.zoek ? searchWords(f.zoek) : [], subkind: (f.soort as OrganisationSubkind | null) ?? null, active: f.status ? f.status === "actief" : null },
    params: { zoek: f.zoek, soort: f.soort, status: f.status ?? null },
    page: parseId((query as Record<string, unknown> | undefined)?.pagina),
    values,
  };
}

/** The kinds to choose from, purchasers' and providers' apart (optgroups in the form). */
export function subkindGroups(): { label: string; options: { value: string; key: string }[] }[] {
  return (["purchaser", "provider"] as const).map((kind) => ({
    label: kind === "purchaser" ? "organisations.purchasers" : "organisations.providers",
    options: SUBKINDS[kind].map((s) => ({ value: s, key: `subkinds.${s}` })),
  }));
}

export function statusOptions(): { value: string; key: string }[] {
  return STATUSES.map((s) => ({ value: s, key: `organisations.statusFilter.${s}` }));
}

/**
 * Where the admin's activate button returns to: the list page it was pressed on, rebuilt from
 * its filter (so nothing but the list's own parameters, on the list's own path), or the list
 * itself when the address is anything else.
 */
export function adminListBack(value: unknown): string {
  const list = "/beheer/organisaties";
  if (typeof value !== "string" || value.length > 400) return list;
  let url: URL;
  try {
    url = new URL(value, "http://dagdeel.invalid");
  } catch {
    return list;
  }
  if (url.origin !== "http://dagdeel.invalid" || url.pathname !== list) return list;
  const parsed = parseOrganisationFilter(Object.fromEntries(url.searchParams), true);
  if (!parsed.ok) return list;
  return urlWithParams(list, { ...parsed.params, pagina: parsed.page !== null && parsed.page > 1 ? parsed.page : null });
}

/** A page's rows as the table's groups: purchasers, then providers (the list's order), each under its own heading row. */
export function groupedByKind<R extends { kind: OrganisationKind }>(rows: R[]): { kind: OrganisationKind; label: string; rows: R[] }[] {
  const groups: { kind: OrganisationKind; label: string; rows: R[] }[] = [];
  for (const row of rows) {
    let group = groups[groups.length - 1];
    if (group?.kind !== row.kind) groups.push((group = { kind: row.kind, label: row.kind === "purchaser" ? "organisations.purchasers" : "organisations.providers", rows: [] }));
    group.rows.push(row);
  }
  return groups;
}
