import { expect } from "chai";
import { NAVIGATION, navigationFor } from "../../src/web/navigation";

// The navigation is built once per role and current entry and shared between requests.
describe("navigation: a role's entries with the current one marked", () => {
  it("marks the entry the path lies under, the home only on /", () => {
    const current = (path: string) => navigationFor("coordinator", path).filter((i) => i.current).map((i) => i.href);
    expect(current("/")).to.deep.equal(["/"]);
    expect(current("/planning/locaties/7")).to.deep.equal(["/planning"]);
    expect(current("/clienten")).to.deep.equal(["/clienten"]);
    expect(current("/planningen")).to.deep.equal([]);
    expect(current("/account/wachtwoord")).to.deep.equal([]);
  });

  it("lists only the role's entries, in order", () => {
    for (const role of ["coordinator", "provider", "purchaser", "admin"] as const) {
      expect(navigationFor(role, "/").map((i) => i.href)).to.deep.equal(NAVIGATION.filter((i) => i.roles.includes(role)).map((i) => i.href));
    }
  });

  it("gives the same frozen list for paths under the same entry, which nobody can change", () => {
    const a = navigationFor("provider", "/planning/locaties/1");
    expect(navigationFor("provider", "/planning/locaties/2")).to.equal(a);
    expect(navigationFor("provider", "/clienten")).not.to.equal(a);
    expect(Object.isFrozen(a) && a.every((i) => Object.isFrozen(i))).to.equal(true);
  });
});
