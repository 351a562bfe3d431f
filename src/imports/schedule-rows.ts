import { FUNDINGS } from "../planning/schedule-form";
import type { Funding } from "../domain/funding";
import type { Slot } from "../domain/schedule";
import { comparable, parseSheetBsn, parseSheetDate, parseText, parseYesNo } from "./cells";
import type { RowProblem } from "./client-rows";
import { SLOT_FIELDS } from "./fields";
import { cellOf, type Mapping } from "./mapping";

// One row of a schedules file checked on its own: who (a BSN, or name and birth date), where
// (a location's name), from when, on which weekdays and dagdelen, and optionally the funding.

export type ScheduleDraft = {
  bsn: string | null;
  first_name: string;
  last_name: string;
  birth_date: string | null;
  location: string;
  valid_from: string | null;
  valid_until: string | null;
  funding: Funding | null;
  slots: Slot[];
};

export function readScheduleRow(row: string[], mapping: Mapping): { draft: ScheduleDraft; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const cell = (key: string) => cellOf(row, mapping, key);
  const date = (field: string) => {
    const text = cell(field);
    if (text === "") return null;
    const parsed = parseSheetDate(text);
    if (parsed.ok) return parsed.value;
    problems.push({ field, key: parsed.error });
    return null;
  };

  let bsn: string | null = null;
  if (cell("bsn") !== "") {
    const parsed = parseSheetBsn(cell("bsn"));
    if (parsed.ok) bsn = parsed.value;
    else problems.push({ field: "bsn", key: parsed.error });
  }
  const first = parseText(cell("first_name"), 100);
  const last = parseText([cell("infix"), cell("last_name")].filter((p) => p).join(" "), 100);
  const firstName = first.ok ? first.value : "";
  const lastName = last.ok ? last.value : "";
  if (bsn === null && !problems.some((p) => p.field === "bsn") && (firstName === "" || lastName === "")) problems.push({ field: "last_name", key: "scheduleImport.errors.whoRequired" });

  const location = parseText(cell("location"), 200);
  if (!location.ok || location.value === "") problems.push({ field: "location", key: "errors.required" });

  const validFrom = date("valid_from");
  if (validFrom === null && cell("valid_from") === "") problems.push({ field: "valid_from", key: "errors.required" });
  const validUntil = date("valid_until");

  let funding: Funding | null = null;
  const fundingText = comparable(cell("funding"));
  if (fundingText !== "") {
    const found = FUNDINGS.find((f) => f === fundingText || (f === "eigen" && fundingText === "eigen bijdrage"));
    if (found) funding = found;
    else problems.push({ field: "funding", key: "scheduleImport.errors.funding" });
  }

  const slots: Slot[] = [];
  for (const s of SLOT_FIELDS) {
    const parsed = parseYesNo(cell(s.key));
    if (!parsed.ok) problems.push({ field: s.key, key: parsed.error });
    else if (parsed.value) slots.push({ weekday: s.weekday, dagdeel: s.dagdeel });
  }
  if (slots.length === 0 && !problems.some((p) => p.field.startsWith("slot_"))) problems.push({ field: "slots", key: "planning.errors.slotsRequired" });

  return {
    draft: { bsn, first_name: firstName, last_name: lastName, birth_date: date("birth_date"), location: location.ok ? location.value : "", valid_from: validFrom, valid_until: validUntil, funding, slots },
    problems,
  };
}
