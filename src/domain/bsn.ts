// The BSN (burgerservicenummer) is 9 digits and passes the "11-test" (elfproef):
// 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is divisible by 11. A leading zero is part of the number.

const BSN_PATTERN = /^\d{9}$/;

export function isValidBsn(input: string): boolean {
  if (!BSN_PATTERN.test(input)) return false;
  if (input === "000000000") return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(input[i]);
  sum -= Number(input[8]);
  return sum % 11 === 0;
}

/** Strips the spaces and dots people type ("1234.56.782") before checking. */
export function normaliseBsn(input: string): string {
  return input.replace(/[\s.-]/g, "");
}

/** Shows only the last three digits: "******782". */
export function maskBsn(bsn: string | null | undefined): string {
  if (!bsn) return "";
  return "*".repeat(Math.max(0, bsn.length - 3)) + bsn.slice(-3);
}
