// The purchaser's answer to a declaration in numbers: the toegekend total is the signed sum
// of the prestaties it approved (debits add, credits subtract, IV086), whole cents.

export type DecidedLine = { amount_cents: number; debit_credit: "D" | "C"; decision: "toegekend" | "afgewezen" | null };

export function awardedCents(lines: DecidedLine[]): number {
  let total = 0;
  for (const l of lines) if (l.decision === "toegekend") total += l.debit_credit === "C" ? -l.amount_cents : l.amount_cents;
  return total;
}
