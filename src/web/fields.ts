import { z } from "zod";
import { DATE_WINDOW, inWindow, type DateWindow } from "../domain/date-window";
import { isIsoDate } from "../domain/dates";
import { isValidBsn, normaliseBsn } from "../domain/bsn";

// Reusable form fields. Messages are locale keys; the page translates them next to the field.

const text = () => z.string({ error: "errors.required" }).transform((s) => s.trim());

export const requiredText = (max = 200) =>
  text().pipe(z.string().min(1, "errors.required").max(max, "errors.tooLong"));

/** An empty field becomes null. */
export const optionalText = (max = 200) =>
  z
    .string()
    .optional()
    .transform((s) => (s === undefined || s.trim() === "" ? null : s.trim()))
    .pipe(z.string().max(max, "errors.tooLong").nullable());

export const email = () =>
  text().pipe(z.string().min(1, "errors.required").max(200, "errors.tooLong").email("errors.email")).transform((s) =>
    s.toLowerCase(),
  );

/**
 * A yyyy-MM-dd date inside a window (2000–2100 unless told otherwise): a date far outside it is
 * a typing mistake, and an end in the year 9999 would make every computation over it endless.
 */
export const isoDate = (window: DateWindow = DATE_WINDOW) =>
  text().pipe(
    z
      .string()
      .min(1, "errors.required")
      .refine(isIsoDate, { message: "errors.date", abort: true })
      .refine((d) => inWindow(d, window), window.message),
  );

export const optionalIsoDate = (window: DateWindow = DATE_WINDOW) =>
  optionalText(10).pipe(
    z
      .string()
      .refine(isIsoDate, { message: "errors.date", abort: true })
      .refine((d) => inWindow(d, window), window.message)
      .nullable(),
  );

export const digits = (length: number, message: string) =>
  optionalText(length + 5).pipe(
    z
      .string()
      .regex(new RegExp(`^\\d{${length}}$`), message)
      .nullable(),
  );

export const optionalBsn = () =>
  optionalText(20)
    .transform((s) => (s === null ? null : normaliseBsn(s)))
    .pipe(z.string().refine(isValidBsn, "errors.bsn").nullable());

/** An HTML checkbox sends its value when ticked and nothing at all when not. */
export const checkbox = () =>
  z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => v !== undefined);

export const choice = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: "errors.choice" });

/** One of these values, or nothing (an empty field is null): a list's filter. */
export const optionalChoice = <T extends readonly string[]>(values: T) =>
  optionalText()
    .refine((v) => v === null || values.includes(v), "errors.choice")
    .transform((v) => v as T[number] | null);

export const optionalId = () =>
  optionalText(12).pipe(
    z
      .string()
      .regex(/^\d+$/, "errors.choice")
      .transform(Number)
      .nullable(),
  );

export const id = () => text().pipe(z.string().regex(/^\d+$/, "errors.choice").transform(Number));

/** A route parameter that must be a positive integer id; anything else is simply not found. */
export function parseId(value: unknown): number | null {
  if (typeof value !== "string" || !/^\d{1,12}$/.test(value)) return null;
  const n = Number(value);
  return n > 0 ? n : null;
}
