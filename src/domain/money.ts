// Money is integer eurocents everywhere; only the edges turn it into text and back.

export type Locale = "nl" | "en";

function groupThousands(digits: string, separator: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
}

/** 123456 → "€ 1.234,56" (nl) or "€1,234.56" (en); −500 → "€ -5,00" / "-€5.00". */
export function formatEuro(cents: number, locale: Locale = "nl"): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`Not a whole number of cents: ${cents}`);
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const euros = String(Math.floor(abs / 100));
  const rest = String(abs % 100).padStart(2, "0");
  if (locale === "en") {
    return `${negative ? "-" : ""}€${groupThousands(euros, ",")}.${rest}`;
  }
  return `€ ${negative ? "-" : ""}${groupThousands(euros, ".")},${rest}`;
}

/**
 * Parses what a Dutch user types for an amount: "1.234,56", "€ 12,5", "12" or "12.50".
 * Returns cents, or null when it is not an amount. A single dot followed by exactly one or two
 * digits is read as a decimal point (people type "12.50"); otherwise dots group thousands.
 */
export function parseEuroToCents(input: string): number | null {
  let s = input.trim().replace(/^€\s*/, "").replace(/\s/g, "");
  if (s === "") return null;
  let negative = false;
  if (s.startsWith("-")) {
    negative = true;
    s = s.slice(1);
  }
  let whole: string;
  let fraction = "";
  if (s.includes(",")) {
    const parts = s.split(",");
    if (parts.length !== 2) return null;
    whole = parts[0].replace(/\./g, "");
    fraction = parts[1];
    if (!/^\d{1,3}(\.\d{3})*$|^\d+$/.test(parts[0])) return null;
  } else if (/^\d+\.\d{1,2}$/.test(s)) {
    [whole, fraction] = s.split(".");
  } else {
    if (!/^\d{1,3}(\.\d{3})*$|^\d+$/.test(s)) return null;
    whole = s.replace(/\./g, "");
  }
  if (!/^\d+$/.test(whole) || !/^\d{0,2}$/.test(fraction)) return null;
  const cents = Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
  if (!Number.isSafeInteger(cents)) return null;
  return negative ? -cents : cents;
}
