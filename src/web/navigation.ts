import type { Role } from "../auth/types";

export type NavItem = { href: string; key: string; roles: Role[] };

// The navigation per role. A feature adds its entry here when it lands.
export const NAVIGATION: NavItem[] = [
  { href: "/", key: "nav.home", roles: ["coordinator", "provider", "purchaser", "admin"] },
  { href: "/vrije-plaatsen", key: "nav.freePlaces", roles: ["purchaser"] }, // a purchaser's first question: where is room?
  { href: "/planning", key: "nav.planning", roles: ["coordinator", "provider"] }, // providers: their own locations, read-only
  { href: "/wachtlijst", key: "nav.waitlist", roles: ["coordinator"] },
  { href: "/signalen", key: "nav.problems", roles: ["coordinator"] },
  { href: "/clienten", key: "nav.clients", roles: ["coordinator", "provider"] },
  { href: "/toewijzingen", key: "nav.allocations", roles: ["purchaser"] },
  { href: "/agenda", key: "nav.calendar", roles: ["coordinator", "provider"] },
  { href: "/aanwezigheid", key: "nav.attendance", roles: ["coordinator", "provider"] },
  { href: "/vervoer", key: "nav.transport", roles: ["coordinator", "provider"] },
  { href: "/locaties", key: "nav.locations", roles: ["provider", "coordinator", "purchaser"] },
  { href: "/vrije-plaatsen", key: "nav.freePlaces", roles: ["coordinator"] },
  { href: "/contracten", key: "nav.contracts", roles: ["purchaser", "provider", "coordinator", "admin"] },
  { href: "/declaraties", key: "nav.declarations", roles: ["purchaser", "provider", "coordinator"] },
  { href: "/berichten", key: "nav.messages", roles: ["provider", "coordinator", "purchaser"] },
  { href: "/organisaties", key: "nav.organisations", roles: ["coordinator", "provider", "purchaser", "admin"] },
  { href: "/api-sleutels", key: "nav.apiTokens", roles: ["provider", "purchaser", "admin"] },
  { href: "/beheer/gebruikers", key: "nav.users", roles: ["admin"] },
  { href: "/beheer/organisaties", key: "nav.adminOrganisations", roles: ["admin"] },
  { href: "/beheer/producten", key: "nav.products", roles: ["admin"] },
  { href: "/beheer/audit", key: "nav.audit", roles: ["admin"] },
];

export function navigationFor(role: Role, currentPath: string): (NavItem & { current: boolean })[] {
  return NAVIGATION.filter((item) => item.roles.includes(role)).map((item) => ({
    ...item,
    current: item.href === "/" ? currentPath === "/" : currentPath === item.href || currentPath.startsWith(item.href + "/"),
  }));
}
