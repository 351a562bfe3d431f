import { periodContains } from "./dates";

// Tariffs side by side, like with like: for one date, each signed inkoop contract running on
// that date and the tariff line of each product valid on that date — never next year's
// contract beside this year's, nor a line from before an index beside one after it.

export type ComparedContract = { id: number; kind: string; status: string; provider_name: string; valid_from: string; valid_until: string };
export type ComparedLine = { contract_id: number; product_id: number; tariff_cents: number; valid_from: string; valid_until: string };
export type ComparedProduct = { id: number };

export type TariffCell = { product_id: number; tariff_cents: number | null; valid_from: string | null; lowest: boolean; highest: boolean };
export type TariffStats = { product_id: number; lowest: number | null; highest: number | null; average: number | null; count: number };

export function compareTariffs<C extends ComparedContract, P extends ComparedProduct>(contracts: C[], lines: ComparedLine[], products: P[], date: string) {
  const running = contracts
    .filter((c) => c.kind === "inkoop" && c.status !== "concept" && periodContains(c.valid_from, c.valid_until, date))
    .sort((a, b) => a.provider_name.localeCompare(b.provider_name, "nl") || a.id - b.id);
  const valid = lines.filter((l) => periodContains(l.valid_from, l.valid_until, date));
  // Only products with a tariff that day get a column.
  const shown = products.filter((p) => valid.some((l) => l.product_id === p.id && running.some((c) => c.id === l.contract_id)));
  const rows = running.map((contract) => ({
    contract,
    cells: shown.map((p): TariffCell => {
      const line = valid.find((l) => l.contract_id === contract.id && l.product_id === p.id);
      return { product_id: p.id, tariff_cents: line?.tariff_cents ?? null, valid_from: line?.valid_from ?? null, lowest: false, highest: false };
    }),
  }));
  const stats = shown.map((p, i): TariffStats => {
    const tariffs = rows.map((r) => r.cells[i].tariff_cents).filter((t): t is number => t !== null);
    const sum = tariffs.reduce((s, t) => s + t, 0);
    return {
      product_id: p.id,
      lowest: tariffs.length ? Math.min(...tariffs) : null,
      highest: tariffs.length ? Math.max(...tariffs) : null,
      // Half-up in whole cents, without leaving integers.
      average: tariffs.length ? Math.floor((2 * sum + tariffs.length) / (2 * tariffs.length)) : null,
      count: tariffs.length,
    };
  });
  // The lowest and highest in each column are marked with words, not colour.
  for (const r of rows) {
    r.cells.forEach((cell, i) => {
      const s = stats[i];
      if (cell.tariff_cents !== null && s.count > 1 && s.lowest !== s.highest) {
        cell.lowest = cell.tariff_cents === s.lowest;
        cell.highest = cell.tariff_cents === s.highest;
      }
    });
  }
  return { products: shown, rows, stats };
}
