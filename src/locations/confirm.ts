import { keptInput } from "../web/forms";

type Hidden = { name: string; value: string }[];

/**
 * The submitted form again as hidden fields: once with confirm=1 (go ahead anyway), once with
 * edit=1 (back to the form with everything still filled in).
 */
export function confirmationFields(body: unknown): { confirm: Hidden; edit: Hidden } {
  const kept = keptInput(body);
  delete kept.confirm;
  delete kept.edit;
  const fields = Object.entries(kept).map(([name, value]) => ({ name, value }));
  return { confirm: [...fields, { name: "confirm", value: "1" }], edit: [...fields, { name: "edit", value: "1" }] };
}

/** The "back to the form" button of a confirmation page. */
export function wantsEdit(body: unknown): boolean {
  return Boolean(body && typeof body === "object" && (body as Record<string, unknown>).edit === "1");
}

/** The form's own fields, without the confirmation's markers. */
export function formValues(body: unknown): Record<string, string> {
  const kept = keptInput(body);
  delete kept.confirm;
  delete kept.edit;
  return kept;
}

/** Who is hit, once each, with how many dagdelen: the first thing a provider wants to know. */
export function affectedPeople(cells: { clients: { id: number; name: string }[] }[]): { name: string; dagdelen: number }[] {
  const byId = new Map<number, { name: string; dagdelen: number }>();
  for (const cell of cells) {
    for (const c of cell.clients) {
      const entry = byId.get(c.id) ?? { name: c.name, dagdelen: 0 };
      entry.dagdelen++;
      byId.set(c.id, entry);
    }
  }
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** What the confirmation page shows: who and when, and the two ways on. */
export function confirmPage(options: {
  intro: string;
  introParams: Record<string, string>;
  action: string;
  body: unknown;
  affected: { clients: { id: number; name: string }[] }[];
  showLocation: boolean;
}) {
  return {
    title: "locations.confirmTitle",
    intro: options.intro,
    introParams: options.introParams,
    action: options.action,
    fields: confirmationFields(options.body),
    affected: options.affected,
    people: affectedPeople(options.affected),
    showLocation: options.showLocation,
  };
}
