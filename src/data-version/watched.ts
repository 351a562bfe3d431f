// What raises each data version that database triggers keep (./triggers.ts builds the triggers
// from this list): per version, the tables whose writes may change an answer kept against it,
// the events, and an optional condition on the row. The use version ('use') has no triggers:
// refreshUse() raises it when it counts changes (src/use/refresh.ts).

export type VersionName = "problems" | "board" | "use";

export type Watch = {
  version: Exclude<VersionName, "use">;
  table: string;
  events: readonly ("INSERT" | "UPDATE" | "DELETE")[];
  /** Per event, a condition on OLD/NEW (the same text in SQLite and PostgreSQL); none: every row. */
  when?: Partial<Record<"INSERT" | "UPDATE" | "DELETE", string>>;
};

const ALL = ["INSERT", "UPDATE", "DELETE"] as const;

/** Names, occupancy, allocations, funding and the waiting list: what both lists and boards are made of. */
const PLANNING_TABLES = [
  "schedules", "schedule_slots", "allocations", "capacity_rules", "closures", "locations", "contracts", "contract_lines",
  "waitlist_entries", "waitlist_slots", "clients", "products", "organisations", "villages",
] as const;

export const WATCHED: readonly Watch[] = [
  // The problem lists and the coordinator's home. Attendance: only an extra visit takes a place;
  // the daily recording of everyone else does not count.
  ...PLANNING_TABLES.map((table): Watch => ({ version: "problems", table, events: ALL })),
  {
    version: "problems",
    table: "attendance",
    events: ALL,
    when: { INSERT: "NEW.status = 'extra'", UPDATE: "OLD.status = 'extra' OR NEW.status = 'extra'", DELETE: "OLD.status = 'extra'" },
  },
  // The planning board and the calendar feeds' summaries: every attendance row shows on a board.
  // One version for the whole region, not one per location: a coordinator's board also lists the
  // waiting clients who fit, and whether their funding allows it reads their allocations,
  // contracts and schedules at every location.
  ...["attendance", ...PLANNING_TABLES].map((table): Watch => ({ version: "board", table, events: ALL })),
];
