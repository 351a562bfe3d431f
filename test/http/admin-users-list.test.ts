import { expect } from "chai";
import { withNameKeys } from "../../src/db/name-keys";
import { loginAs, postForm, type Agent, type TestContext, startTestApp } from "../support/app";

// Issue 11.4: a region has hundreds of users. The admin's list is fifty a page, searched by
// name or e-mail address, filtered by role and status, and the filters travel with the pages.
describe("HTTP: the admin's user list at region scale", () => {
  let ctx: TestContext;
  let admin: Agent;
  const AT = "2026-11-01T08:00:00.000Z";
  const MEDEWERKERS = 60;
  /** The world's six users, sixty staff of provider A (every tenth deactivated) and one purchaser's. */
  const TOTAL = 6 + MEDEWERKERS + 1;

  before(async () => {
    ctx = await startTestApp();
    const rows = [];
    for (let n = 1; n <= MEDEWERKERS; n++) {
      const nn = String(n).padStart(2, "0");
      rows.push({ email: `medewerker${nn}@regio.example`, name: `Medewerker ${nn}`, role: "provider", organisation_id: ctx.world.providerA, active: n % 10 !== 0 });
    }
    rows.push({ email: "o.vanlier@boerderij.example", name: "Özlem van Lier", role: "purchaser", organisation_id: ctx.world.gemeente, active: true });
    for (const row of rows) {
      await ctx.db("users").insert(withNameKeys("users", { ...row, password_hash: "", locale: "nl", created_at: AT, updated_at: AT }));
    }
    admin = await loginAs(ctx.app, ctx.world.users.admin.email);
  });
  after(async () => ctx.close());

  const unescape = (s: string) => s.replace(/&amp;/g, "&").replace(/&#x3D;/g, "=");
  /** The list's rows: name and whether it reads as deactivated. */
  const rowsOf = (html: string) =>
    [...html.matchAll(/<tr( class="inactive")?>\s*<th scope="row"><a href="\/beheer\/gebruikers\/\d+">([^<]+)<\/a>/g)].map((m) => ({ name: m[2], inactive: Boolean(m[1]) }));
  const namesOf = (html: string) => rowsOf(html).map((r) => r.name);
  const link = (html: string, rel: "next" | "prev") => {
    const href = html.match(new RegExp(`<a href="([^"]+)" rel="${rel}">`))?.[1];
    return href === undefined ? null : unescape(href);
  };
  const caption = (html: string) => html.match(/<caption>([^<]*)<\/caption>/)?.[1];

  it("shows fifty a page, active users first, with the count and links to the next and previous page", async () => {
    const first = await admin.get("/beheer/gebruikers");
    expect(first.status).to.equal(200);
    expect(rowsOf(first.text)).to.have.length(50);
    expect(caption(first.text)).to.equal(`1–50 van ${TOTAL} gebruikers`);
    expect(link(first.text, "prev")).to.equal(null);
    expect(link(first.text, "next")).to.equal("/beheer/gebruikers?pagina=2");
    expect(first.text).to.contain("Pagina 1 van 2");

    const second = await admin.get("/beheer/gebruikers?pagina=2");
    expect(second.status).to.equal(200);
    const rows = rowsOf(second.text);
    expect(rows).to.have.length(TOTAL - 50);
    expect(caption(second.text)).to.equal(`51–${TOTAL} van ${TOTAL} gebruikers`);
    expect(link(second.text, "prev")).to.equal("/beheer/gebruikers?pagina=1");
    expect(link(second.text, "next")).to.equal(null);
    // The deactivated come last, by name; nobody is on both pages.
    expect(rows.slice(-6).map((r) => r.name)).to.deep.equal(["Medewerker 10", "Medewerker 20", "Medewerker 30", "Medewerker 40", "Medewerker 50", "Medewerker 60"]);
    expect(rows.slice(-6).every((r) => r.inactive)).to.equal(true);
    expect(rowsOf(first.text).some((r) => r.inactive)).to.equal(false);
    const all = [...namesOf(first.text), ...rows.map((r) => r.name)];
    expect(new Set(all).size).to.equal(TOTAL);
  });

  it("keeps the filters in the page links and in the form", async () => {
    const first = await admin.get("/beheer/gebruikers?zoek=medewerker&status=actief");
    expect(first.status).to.equal(200);
    expect(caption(first.text)).to.equal("1–50 van 54 gebruikers");
    const next = link(first.text, "next")!;
    expect(next).to.equal("/beheer/gebruikers?zoek=medewerker&status=actief&pagina=2");
    expect(first.text).to.contain('value="medewerker"');
    expect(first.text).to.match(/<option value="actief" selected>/);

    const second = await admin.get(next);
    expect(namesOf(second.text)).to.have.length(4);
    expect(caption(second.text)).to.equal("51–54 van 54 gebruikers");
    expect(link(second.text, "prev")).to.equal("/beheer/gebruikers?zoek=medewerker&status=actief&pagina=1");
    expect(second.text).to.contain('value="medewerker"');

    const byRole = await admin.get("/beheer/gebruikers?rol=provider");
    expect(caption(byRole.text)).to.equal(`1–50 van ${MEDEWERKERS + 2} gebruikers`);
    expect(link(byRole.text, "next")).to.equal("/beheer/gebruikers?rol=provider&pagina=2");
    expect(byRole.text).to.match(/<option value="provider" selected>/);
  });

  it("searches by part of the name, whatever its case and accents", async () => {
    for (const zoek of ["ozlem", "ÖZLEM", "lier van", "Van Lier"]) {
      const res = await admin.get(`/beheer/gebruikers?zoek=${encodeURIComponent(zoek)}`);
      expect(res.status, zoek).to.equal(200);
      expect(namesOf(res.text), zoek).to.deep.equal(["Özlem van Lier"]);
      expect(caption(res.text), zoek).to.equal("1 gebruiker");
    }
    expect(namesOf((await admin.get("/beheer/gebruikers?zoek=Medewerker+07")).text)).to.deep.equal(["Medewerker 07"]);
  });

  it("searches by part of the e-mail address", async () => {
    expect(namesOf((await admin.get("/beheer/gebruikers?zoek=boerderij.example")).text)).to.deep.equal(["Özlem van Lier"]);
    expect(namesOf((await admin.get("/beheer/gebruikers?zoek=MEDEWERKER07%40")).text)).to.deep.equal(["Medewerker 07"]);
    expect(namesOf((await admin.get("/beheer/gebruikers?zoek=providera%40test")).text)).to.deep.equal(["User providerA"]);
    // LIKE's own characters are literal: they find nothing rather than everything.
    const none = await admin.get("/beheer/gebruikers?zoek=%25");
    expect(none.status).to.equal(200);
    expect(namesOf(none.text)).to.deep.equal([]);
    expect(none.text).to.contain("Geen gebruikers gevonden.");
  });

  it("filters by role and by status", async () => {
    expect(namesOf((await admin.get("/beheer/gebruikers?rol=purchaser")).text)).to.deep.equal(["User purchaser", "User zorgkantoor", "Özlem van Lier"].sort(byKey));
    expect(namesOf((await admin.get("/beheer/gebruikers?rol=admin")).text)).to.deep.equal(["User admin"]);
    const inactive = await admin.get("/beheer/gebruikers?status=inactief");
    expect(rowsOf(inactive.text).map((r) => r.name)).to.deep.equal(["Medewerker 10", "Medewerker 20", "Medewerker 30", "Medewerker 40", "Medewerker 50", "Medewerker 60"]);
    expect(rowsOf(inactive.text).every((r) => r.inactive)).to.equal(true);
    const active = await admin.get("/beheer/gebruikers?status=actief&rol=provider&pagina=2");
    expect(caption(active.text)).to.equal("51–56 van 56 gebruikers");
    expect(rowsOf(active.text).some((r) => r.inactive)).to.equal(false);
    // Role, status and search together.
    expect(namesOf((await admin.get("/beheer/gebruikers?zoek=medewerker+1&rol=provider&status=inactief")).text)).to.deep.equal(["Medewerker 10"]);
  });

  /** The sort order of the world's names (sort_key: "User purchaser" < "User zorgkantoor" < "Özlem van Lier"). */
  function byKey(a: string, b: string) {
    const key = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    return key(a) < key(b) ? -1 : 1;
  }

  it("answers bad filters with 422, the message next to the field and the input kept, never a 500", async () => {
    const role = await admin.get("/beheer/gebruikers?rol=superuser&zoek=Jan");
    expect(role.status).to.equal(422);
    expect(role.text).to.contain('id="f-rol-error"');
    expect(role.text).to.contain('id="f-zoek"');
    expect(role.text).to.contain('value="Jan"');
    expect(namesOf(role.text)).to.deep.equal([]);

    const status = await admin.get("/beheer/gebruikers?status=weg&rol=provider");
    expect(status.status).to.equal(422);
    expect(status.text).to.contain('id="f-status-error"');
    expect(status.text).to.match(/<option value="provider" selected>/);

    for (const pagina of ["twee", "0", "-1", "1.5", "99999999999999"]) {
      const page = await admin.get(`/beheer/gebruikers?pagina=${encodeURIComponent(pagina)}&zoek=medewerker`);
      expect(page.status, pagina).to.equal(422);
      expect(page.text, pagina).to.contain('id="f-pagina-error"');
      expect(page.text, pagina).to.contain(`value="${pagina}"`);
      expect(page.text, pagina).to.contain('value="medewerker"');
    }

    const long = await admin.get(`/beheer/gebruikers?zoek=${"x".repeat(101)}`);
    expect(long.status).to.equal(422);
    expect(long.text).to.contain('id="f-zoek-error"');

    // A parameter given twice is not a text: refused like any other bad value.
    const twice = await admin.get("/beheer/gebruikers?rol=provider&rol=admin");
    expect(twice.status).to.equal(422);
    expect(twice.text).to.contain('id="f-rol-error"');
  });

  it("a page past the end shows the last page", async () => {
    const res = await admin.get("/beheer/gebruikers?pagina=9&status=actief");
    expect(res.status).to.equal(200);
    expect(caption(res.text)).to.equal(`51–${TOTAL - 6} van ${TOTAL - 6} gebruikers`);
    expect(namesOf(res.text)).to.have.length(TOTAL - 6 - 50);
    expect(link(res.text, "prev")).to.equal("/beheer/gebruikers?status=actief&pagina=1");
  });

  it("deactivating and reactivating a user comes back to the same page of the same list", async () => {
    const list = "/beheer/gebruikers?zoek=medewerker&status=actief&pagina=2";
    const page = await admin.get(list);
    expect(page.text).to.contain('<input type="hidden" name="zoek" value="medewerker">');
    expect(page.text).to.contain('<input type="hidden" name="pagina" value="2">');
    const id = Number((await ctx.db("users").where({ email: "medewerker59@regio.example" }).first("id")).id);
    const off = await postForm(admin, `/beheer/gebruikers/${id}/actief`, { active: "0", zoek: "medewerker", status: "actief", pagina: "2" }, list);
    expect(off.status).to.equal(303);
    expect(off.headers.location).to.equal(list);
    expect(Boolean((await ctx.db("users").where({ id }).first("active")).active)).to.equal(false);
    expect(caption((await admin.get(list)).text)).to.equal("51–53 van 53 gebruikers");
    // Filters that are not the list's send it to the whole list, never elsewhere.
    const on = await postForm(admin, `/beheer/gebruikers/${id}/actief`, { active: "1", rol: "superuser", zoek: "//example.com" }, list);
    expect(on.status).to.equal(303);
    expect(on.headers.location).to.equal("/beheer/gebruikers");
    expect(Boolean((await ctx.db("users").where({ id }).first("active")).active)).to.equal(true);
  });

  for (const role of ["coordinator", "providerA", "purchaser"] as const) {
    it(`refuses the ${role} (403), filters or not`, async () => {
      const agent = await loginAs(ctx.app, ctx.world.users[role].email);
      for (const url of ["/beheer/gebruikers", "/beheer/gebruikers?zoek=medewerker&rol=provider&status=actief&pagina=2", "/beheer/gebruikers?rol=superuser"]) {
        const res = await agent.get(url);
        expect(res.status, url).to.equal(403);
        expect(res.text, url).to.not.contain("Medewerker 01");
      }
    });
  }
});
