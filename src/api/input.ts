import type { z } from "zod";
import { parseForm, validValue } from "../web/forms";

// The API checks its input with zod at the edge, like the forms; a refusal is a 422 naming
// each field with the same locale keys the pages show.

export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  return validValue(parseForm(schema, input));
}

/** A path id: a positive whole number, anything else is simply not found (as on the pages). */
export { parseId } from "../web/fields";
