import type { Role } from "../auth/types";

export type NavItem = { href: string; key: string; roles: Role[] };

// The navigation per role. A feature adds its entry here when it lands.
export const NAVIGATION: NavItem[] = [
  { href: "/", key: "nav.home", roles: ["coordinator", "provider", "purchaser", "admin"] },
  { href: "/organisaties", key: "nav.organisations", roles: ["coordinator", "provider", "purchaser", "admin"] },
  { href: "/beheer/gebruikers", key: "nav.users", roles: ["admin"] },
  { href: "/beheer/organisaties", key: "nav.adminOrganisations", roles: ["admin"] },
  { href: "/beheer/audit", key: "nav.audit", roles: ["admin"] },
];

export function navigationFor(role: Role, currentPath: string): (NavItem & { current: boolean })[] {
  return NAVIGATION.filter((item) => item.roles.includes(role)).map((item) => ({
    ...item,
    current: item.href === "/" ? currentPath === "/" : currentPath === item.href || currentPath.startsWith(item.href + "/"),
  }));
}
