import { CONSULT_PERCENT, NEAR_PERCENT, OVER_PERCENT, percentOf, warningLevel, type Level } from "../domain/utilisation";

// Geometry of the server-rendered bar charts (inline SVG, no chart library). Realised is a
// solid bar, planned a hatched one after it; the ceiling's 70 % (the consultation moment) is a
// dotted line, its 80 % a dashed line and its 100 % a solid line, each with its own text, so
// nothing depends on telling colours apart. Numbers are printed next to each bar by the template.

export const CHART = { width: 760, labelX: 150, barX: 156, barWidth: 320, textX: 486, rowHeight: 34, top: 4 };

export type BarInput = { key: string | number; label: string; realised: number; planned: number; ceiling: number | null };

export type BarRow = BarInput & {
  forecast: number;
  /** Forecast as whole percent of the ceiling, rounded down; null without a ceiling. */
  percent: number | null;
  level: Level;
  y: number;
  barY: number;
  barHeight: number;
  textY: number;
  realisedWidth: number;
  plannedX: number;
  plannedWidth: number;
  consultX: number | null;
  nearX: number | null;
  overX: number | null;
  markerTop: number;
  markerBottom: number;
};

export type BarChart = { width: number; height: number; labelX: number; barX: number; textX: number; rows: BarRow[] };

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * One bar per row. With `shared` all rows use one scale (months of one contract); without,
 * each row is scaled to its own ceiling (a budget in cents next to a volume in dagdelen).
 */
export function barChart(inputs: BarInput[], shared: boolean): BarChart {
  const extent = (r: BarInput) => Math.max(r.realised + r.planned, r.ceiling ?? 0);
  const sharedMax = Math.max(1, ...inputs.map(extent));
  const rows = inputs.map((r, i): BarRow => {
    // Leave a little room past the ceiling so "over" is visible as bar beyond the line.
    const max = shared ? sharedMax : Math.max(1, extent(r)) * (r.ceiling ? 1.08 : 1);
    const px = (v: number) => round1((Math.max(0, v) / max) * CHART.barWidth);
    const y = CHART.top + i * CHART.rowHeight;
    const realisedWidth = px(r.realised);
    return {
      ...r,
      forecast: r.realised + r.planned,
      percent: percentOf(r.realised + r.planned, r.ceiling),
      level: warningLevel(r.realised + r.planned, r.ceiling),
      y,
      barY: y + 8,
      barHeight: 18,
      textY: y + 22,
      realisedWidth,
      plannedX: round1(CHART.barX + realisedWidth),
      plannedWidth: px(r.planned),
      consultX: r.ceiling ? round1(CHART.barX + px((r.ceiling * CONSULT_PERCENT) / 100)) : null,
      nearX: r.ceiling ? round1(CHART.barX + px((r.ceiling * NEAR_PERCENT) / 100)) : null,
      overX: r.ceiling ? round1(CHART.barX + px((r.ceiling * OVER_PERCENT) / 100)) : null,
      markerTop: y + 3,
      markerBottom: y + 31,
    };
  });
  return { width: CHART.width, height: CHART.top * 2 + inputs.length * CHART.rowHeight, labelX: CHART.labelX, barX: CHART.barX, textX: CHART.textX, rows };
}
