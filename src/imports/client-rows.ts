import { comparable, parseSheetBsn, parseSheetDate, parseSheetPostcode, parseText, parseYesNo, type Parsed } from "./cells";
import type { ClientFields } from "../clients/repository";
import { cellOf, type Mapping } from "./mapping";

// One row of a client file checked on its own, without the database: what it says about the
// client, and every problem with the field it belongs to. Whether it is a new client or one
// dagdeel knows is for the matching (client-import.ts).

/** What a row says; null: the cell is empty or has no column, so an existing value stays. */
export type ClientDraft = Omit<ClientFields, "needs_transport" | "wheelchair"> & { needs_transport: boolean | null; wheelchair: boolean | null };

export type RowProblem = { field: string; key: string };

export type Village = { id: number; name: string };

/** The village named in a cell: by name, ignoring case and accents; unknown or ambiguous is a problem. */
export function findVillage(text: string, villages: Village[]): Parsed<number> {
  const want = comparable(text);
  const found = villages.filter((v) => comparable(v.name) === want);
  if (found.length === 1) return { ok: true, value: found[0].id };
  return { ok: false, error: found.length === 0 ? "clientImport.errors.villageUnknown" : "clientImport.errors.villageAmbiguous" };
}

export function readClientRow(row: string[], mapping: Mapping, villages: Village[], today: string): { draft: ClientDraft; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const cell = (key: string) => cellOf(row, mapping, key);

  /** A cell through its parser; an empty cell is null, a wrong one a problem (and null). */
  function read<T>(field: string, parser: (text: string) => Parsed<T>): T | null {
    const text = cell(field);
    if (text === "") return null;
    const parsed = parser(text);
    if (parsed.ok) return parsed.value;
    problems.push({ field, key: parsed.error });
    return null;
  }

  const firstName = read("first_name", (t) => parseText(t, 100));
  const infix = read("infix", (t) => parseText(t, 30));
  const lastName = read("last_name", (t) => parseText(t, 100));
  if (firstName === null && !problems.some((p) => p.field === "first_name")) problems.push({ field: "first_name", key: "errors.required" });
  if (lastName === null && !problems.some((p) => p.field === "last_name")) problems.push({ field: "last_name", key: "errors.required" });
  const fullLastName = [infix, lastName].filter((p) => p).join(" ");
  if (fullLastName.length > 100) problems.push({ field: "last_name", key: "errors.tooLong" });

  const birthDate = read("birth_date", parseSheetDate);
  if (birthDate !== null && birthDate > today) problems.push({ field: "birth_date", key: "clients.errors.birthDateFuture" });

  const street = read("street", (t) => parseText(t, 180));
  const number = read("house_number", (t) => parseText(t, 15));
  const fullStreet = [street, number].filter((p) => p).join(" ");

  return {
    draft: {
      first_name: firstName ?? "",
      last_name: fullLastName,
      bsn: read("bsn", parseSheetBsn),
      birth_date: birthDate,
      village_id: read("village", (t) => findVillage(t, villages)),
      street: fullStreet === "" ? null : fullStreet,
      postcode: read("postcode", parseSheetPostcode),
      phone: read("phone", (t) => parseText(t, 40)),
      needs_transport: read("needs_transport", parseYesNo),
      wheelchair: read("wheelchair", parseYesNo),
      notes: read("notes", (t) => parseText(t, 2000, false)),
    },
    problems,
  };
}
