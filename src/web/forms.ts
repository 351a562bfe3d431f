import type { z } from "zod";
import { ValidationError } from "../domain/errors";

export type FieldErrors = Record<string, string>;

const LOCALE_KEY = /^[a-zA-Z]+(\.[a-zA-Z0-9_]+)+$/;

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/**
 * Checks a submitted form against a zod schema whose messages are locale keys
 * ("errors.required"); the first problem of each field is what the page shows next to it.
 */
export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    // Our schemas give locale keys ("errors.required", "planning.errors.full"); zod's own
    // English messages (a wrong type, say) become the generic key.
    if (!errors[field]) errors[field] = LOCALE_KEY.test(issue.message) ? issue.message : "errors.invalid";
  }
  return { ok: false, errors };
}

/**
 * The parsed value, or the form's problems thrown as a ValidationError: a route that named its
 * answer with onInvalid (src/web/errors.ts) shows a wrong field and a refused rule the same way.
 */
export function validValue<T>(form: FormResult<T>): T {
  if (!form.ok) throw new ValidationError(form.errors);
  return form.value;
}

/** The form-errors partial shows its summary for any object (handlebars takes {} for true): no errors is no value. */
export function shownErrors(errors: FieldErrors | null | undefined): FieldErrors | null {
  return errors && Object.keys(errors).length > 0 ? errors : null;
}

/** Form bodies are untyped strings; keep only string values to re-show what the user typed. */
export function keptInput(body: unknown): Record<string, string> {
  const kept: Record<string, string> = {};
  if (body && typeof body === "object") {
    for (const [k, v] of Object.entries(body)) {
      if (typeof v === "string" && k !== "_csrf" && !k.toLowerCase().includes("password")) kept[k] = v;
    }
  }
  return kept;
}
