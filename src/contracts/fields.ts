import { z } from "zod";
import { parseEuroToCents } from "../domain/money";
import { optionalText, requiredText } from "../web/fields";

// Amounts are typed the Dutch way ("51,50", "€ 125.000") and leave here as whole cents.

const euro = () =>
  z
    .string()
    .refine((s) => parseEuroToCents(s) !== null, "contract.errors.amount")
    .transform((s) => parseEuroToCents(s)!);

export const requiredEuro = () => requiredText(20).pipe(euro());

/** Empty → null; otherwise a positive amount. */
export const optionalPositiveEuro = () =>
  optionalText(20).pipe(euro().refine((c) => c > 0, "contract.errors.amountPositive").nullable());

/** Empty → null; otherwise a whole number above zero. */
export const optionalCount = () =>
  optionalText(9).pipe(
    z
      .string()
      .regex(/^\d+$/, "contract.errors.wholeNumber")
      .transform(Number)
      .refine((n) => n > 0, "contract.errors.wholeNumber")
      .nullable(),
  );

/** Cents shown in a form field the way they are typed: 5150 → "51,50". */
export function centsForField(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return "";
  const abs = Math.abs(cents);
  return `${cents < 0 ? "-" : ""}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, "0")}`;
}
