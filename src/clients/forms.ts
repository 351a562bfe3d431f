import type { z } from "zod";
import type { FieldErrors, FormResult } from "../web/forms";

const MESSAGE_KEY = /^(errors|clients\.errors|allocations\.errors)\./;

/**
 * parseForm (src/web/forms.ts) keeps only "errors.*" messages; this feature's schemas also
 * carry their own "clients.errors.*" and "allocations.errors.*" keys, so it reads the issues
 * the same way but lets those through.
 */
export function parseFeatureForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const errors: FieldErrors = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0] ?? "_form");
    if (!errors[field]) errors[field] = MESSAGE_KEY.test(issue.message) ? issue.message : "errors.invalid";
  }
  return { ok: false, errors };
}

/** A GET query parameter as one trimmed string ("" when absent or repeated oddly). */
export function queryText(value: unknown, max = 100): string {
  return typeof value === "string" ? value.trim().slice(0, max) : "";
}

/** Builds "/path?a=1&b=2", leaving out empty values. */
export function urlWith(path: string, params: Record<string, string | number | null | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== "") qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** The form-errors partial shows its box for any truthy value, so no errors must be no value at all. */
export function errorsOrNothing(errors: FieldErrors): FieldErrors | null {
  return Object.keys(errors).length > 0 ? errors : null;
}
