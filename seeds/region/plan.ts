// The whole region except attendance and declarations, in memory and pure: the same options
// always give the same plan. Each part draws from its own random stream, so changing one part
// leaves the others as they were.

import { Rng, seedFrom } from "../random";
import { ClientBook, placeStays, type PlanAllocation, type PlanClient, type PlanSchedule } from "./clients";
import { planClosures, type PlanClosure } from "./closures";
import { assignContracts, coverEndOf, planContracts, type PlanContract } from "./contracts";
import { planFeeds, type PlanFeed } from "./feeds";
import { checkOptions, regionDates, type RegionDates, type RegionOptions } from "./options";
import { planOrganisations, type Organisations } from "./organisations";
import { testRangeBsns } from "./people";
import { planStays } from "./seats";
import { draftWaitlist, placeWaitlist, type PlanWaitlistEntry } from "./waitlist";

export type RegionPlan = {
  options: RegionOptions;
  dates: RegionDates;
  org: Organisations;
  closures: PlanClosure[];
  clients: PlanClient[];
  allocations: PlanAllocation[];
  schedules: PlanSchedule[];
  waitlist: PlanWaitlistEntry[];
  contracts: PlanContract[];
  feeds: PlanFeed[];
};

export function planRegion(options: RegionOptions): RegionPlan {
  checkOptions(options);
  const dates = regionDates(options.today);
  const rng = (part: string) => new Rng(seedFrom(`dagdeel-region|${options.seed}|${part}`));
  const org = planOrganisations(options.scale, dates, rng("organisations"));
  const closures = planClosures(org.providers, dates, rng("closures"));
  const stays = planStays(org.locations, dates, rng("stays"));
  const coverEnd = coverEndOf(dates);
  const bsns = rng("bsn").shuffle(testRangeBsns());
  const { drafts, bsnsNeeded } = draftWaitlist(org, dates, rng("waitlist"));
  const book = new ClientBook(org, dates, rng("people"));
  placeStays(book, org, stays, bsns.slice(bsnsNeeded), coverEnd, dates, rng("funding"));
  const waitlist = placeWaitlist(book, org, drafts, bsns.slice(0, bsnsNeeded), coverEnd, dates, rng("waitlist-clients"));
  const contracts = planContracts(org, book, dates, rng("contracts"));
  assignContracts(book.schedules, contracts);
  const current = book.schedules.filter((s) => s.from <= dates.today && (s.until === null || s.until >= dates.today));
  const feeds = planFeeds(options.seed, org.locations, current, rng("feeds"));
  return { options, dates, org, closures, clients: book.clients, allocations: book.allocations, schedules: book.schedules, waitlist, contracts, feeds };
}
