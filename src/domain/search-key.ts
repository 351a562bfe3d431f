import { splitSurname } from "./short-name";

// Searching and sorting names the same way on SQLite and PostgreSQL. SQLite's lower() folds
// ASCII only and the two databases compare text by different collations, so neither is asked:
// each named row keeps two keys beside its name, worked out here when the row is written.
//   search_key  the name folded: lower case, diacritics dropped ("Özdemir" → "ozdemir"),
//               punctuation as spaces ("'t Hart" → "t hart"); a search folds its words the
//               same way and every word must occur in the key (LIKE with literal % and _).
//   sort_key    the order Dutch lists use — the surname without its tussenvoegsels first
//               ("van Lier" under L), then the first name, then the particles — written with
//               the characters 0-9 and a-z only, which every collation orders the same way
//               as a byte comparison does.

/** Letters NFD does not take apart into a base letter and a mark. */
const SPECIAL_LETTERS: Record<string, string> = {
  ß: "ss", æ: "ae", œ: "oe", ø: "o", ł: "l", đ: "d", ð: "d", þ: "th", ı: "i", ĳ: "ij",
};

/** "Özdemir" → "ozdemir", "van  Lier," → "van lier", "'t Hart" → "t hart", "50%" → "50%". */
export function foldText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[ßæœøłđðþıĳ]/g, (c) => SPECIAL_LETTERS[c])
    // Punctuation separates words, except the wildcards a search must keep (they are literal).
    .replace(/[^\p{L}\p{N}%_]+/gu, " ")
    .trim();
}

/** The words of a search box, folded like the keys; at most `max` of them. */
export function searchWords(input: string, max = 6): string[] {
  return foldText(input)
    .split(" ")
    .filter((w) => w.length > 0)
    .slice(0, max);
}

/** A person's search key: first name and last name folded ("Ayse van Lier" → "ayse van lier"). */
export function personSearchKey(firstName: string, lastName: string): string {
  return foldText(`${firstName} ${lastName}`);
}

/** A name's search key (a location, an organisation, a user, a village). */
export function nameSearchKey(name: string): string {
  return foldText(name);
}

/**
 * Folded text as 0-9a-z only: a space becomes "0" (before every other character, as a space
 * sorts in a byte comparison), a digit d becomes "1d", a letter a-z stays, and any other letter
 * becomes "2" and its code point in base 36 (five places), so no collation can reorder them.
 */
function sortable(folded: string): string {
  let out = "";
  for (const ch of folded) {
    if (ch >= "a" && ch <= "z") out += ch;
    else if (ch >= "0" && ch <= "9") out += `1${ch}`;
    else if (ch === " ") out += "0";
    else out += `2${ch.codePointAt(0)!.toString(36).padStart(5, "0")}`;
  }
  return out;
}

/** Between the parts of a key: sorts before everything a part holds, so "lier" < "lierop". */
const PART = "00";

/** "Ayse" + "van Lier" sorts as "lier, ayse van": surname, first name, particles. */
export function personSortKey(firstName: string, lastName: string): string {
  const { particles, surname } = splitSurname(lastName);
  return [surname, firstName, particles.join(" ")].map((part) => sortable(foldText(part).replace(/[%_]/g, " ").trim())).join(PART);
}

/** A name's sort key (a location, an organisation, a user, a village). */
export function nameSortKey(name: string): string {
  return sortable(foldText(name).replace(/[%_]/g, " ").trim());
}
