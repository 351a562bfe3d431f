import { z } from "zod";
import { ValidationError } from "../domain/errors";

// Every list of the API is a page: ?limit= (1–100, default 25) and ?offset= (from 0). The answer
// carries the page it is and the total, so a client knows when it has everything.

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 25;

export type PageRequest = { limit: number; offset: number };
export type PageInfo = PageRequest & { total: number };
export type Paged<T> = { items: T[]; page: PageInfo };

const wholeNumber = (max: number, message: string) =>
  z
    .string()
    .regex(/^\d{1,9}$/, message)
    .transform(Number)
    .pipe(z.number().max(max, message));

export const pageSchema = z.object({
  limit: wholeNumber(MAX_LIMIT, "api.errors.limit")
    .pipe(z.number().min(1, "api.errors.limit"))
    .optional()
    .transform((v) => v ?? DEFAULT_LIMIT),
  offset: wholeNumber(1_000_000_000, "api.errors.offset")
    .optional()
    .transform((v) => v ?? 0),
});

/** The page a request asks for; a bad limit or offset is a 422 like any other field. */
export function pageOf(query: unknown): PageRequest {
  const q = (query ?? {}) as Record<string, unknown>;
  const parsed = pageSchema.safeParse({ limit: q.limit, offset: q.offset });
  if (parsed.success) return parsed.data;
  const fields: Record<string, string> = {};
  for (const issue of parsed.error.issues) {
    const field = String(issue.path[0]);
    fields[field] ??= field === "limit" ? "api.errors.limit" : "api.errors.offset";
  }
  throw new ValidationError(fields, { max: MAX_LIMIT });
}

export function paged<T>(items: T[], page: PageRequest, total: number): Paged<T> {
  return { items, page: { ...page, total } };
}

/**
 * A page of a list the service hands over whole because it is bounded by the region's
 * structure (locations, contracts, declarations of a scope; the lines of one declaration),
 * not by its history: the API pages it all the same.
 */
export function pageOfList<T>(all: T[], page: PageRequest): Paged<T> {
  return paged(all.slice(page.offset, page.offset + page.limit), page, all.length);
}
