// How a person appears where more than the care team may read along (a volunteers' calendar
// on a phone): the first name and the initial of the surname, "Anna B.".
//
// The rule for tussenvoegsels: Dutch puts the particles before the surname but sorts and
// abbreviates on the surname itself, so the particles stay, in lower case as Dutch writes them
// after a first name, and only the main surname is cut to its initial:
//   "Jan" + "de Vries"        → "Jan de V."
//   "Piet" + "van den Beuken" → "Piet van den B."
//   "Ans" + "Van Wijk"        → "Ans van W."     (capitalised particle, same rule)
//   "Kees" + "Vries, de"      → "Kees de V."     (register form "surname, particles")
//   "Mia" + "Jansen-Smit"     → "Mia J."         (a double surname gives one initial)
//   "Tom" + "'t Hart"         → "Tom 't H."
// A surname made only of particle-like words keeps its last word as the surname.

const TUSSENVOEGSELS = new Set([
  "van", "de", "der", "den", "het", "'t", "te", "ten", "ter", "in", "op", "aan", "bij", "uit",
  "over", "onder", "voor", "'s", "la", "le", "les", "du", "da", "di", "del", "della", "des",
  "dos", "el", "l'", "d'", "von", "zu", "vd", "v.d.",
]);

function isParticle(word: string): boolean {
  return TUSSENVOEGSELS.has(word.toLowerCase().replace(/’/g, "'"));
}

/** The first letter of a surname, upper-cased ("Öztürk" → "Ö", "'s Gravesande" never gets here). */
function initialOf(surname: string): string {
  const letter = surname.match(/\p{L}/u)?.[0];
  return letter ? `${letter.toLocaleUpperCase("nl-NL")}.` : "";
}

/** Splits "de Vries" / "Vries, de" into particles and the main surname. */
export function splitSurname(lastName: string): { particles: string[]; surname: string } {
  let text = lastName.trim().replace(/\s+/g, " ");
  let trailing: string[] = [];
  const comma = text.indexOf(",");
  if (comma >= 0) {
    trailing = text.slice(comma + 1).trim().split(" ").filter(Boolean);
    text = text.slice(0, comma).trim();
  }
  const words = text.split(" ").filter(Boolean);
  const particles = [...trailing];
  while (words.length > 1 && isParticle(words[0])) particles.push(words.shift()!);
  return { particles: particles.map((p) => p.toLowerCase()), surname: words.join(" ") };
}

/** "Anna B.", "Jan de V."; only the first name when there is no surname. */
export function shortName(firstName: string, lastName: string | null | undefined): string {
  const first = firstName.trim().replace(/\s+/g, " ");
  const { particles, surname } = splitSurname(lastName ?? "");
  const initial = initialOf(surname);
  return [first, ...particles, initial].filter(Boolean).join(" ");
}
