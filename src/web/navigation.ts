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

type NavLink = NavItem & { current: boolean };

/**
 * A role's navigation with `currentPath`'s entry marked. Built once per role and current entry
 * and shared (the template only reads it): it is asked on every page view, the planning board's
 * hundreds a second among them (issue 11).
 */
export function navigationFor(role: Role, currentPath: string): NavLink[] {
  let items = ofRole.get(role);
  if (!items) ofRole.set(role, (items = NAVIGATION.filter((item) => item.roles.includes(role))));
  const current = items.find((item) => isCurrent(item.href, currentPath))?.href ?? null;
  const key = `${role}|${current}`;
  let links = built.get(key);
  if (!links) built.set(key, (links = Object.freeze(items.map((item) => Object.freeze({ ...item, current: item.href === current }))) as NavLink[]));
  return links;
}

const ofRole = new Map<Role, NavItem[]>();
const built = new Map<string, NavLink[]>();

function isCurrent(href: string, currentPath: string): boolean {
  return href === "/" ? currentPath === "/" : currentPath === href || currentPath.startsWith(href + "/");
}
