import { expect } from "chai";
import { withNameKeys } from "../../src/db/name-keys";
import { ORGANISATIONS_PER_PAGE } from "../../src/organisations/list-filter";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";

// Issue 11.4: the two organisation lists (/organisaties for every role within its scope, the
// admin's /beheer/organisaties) at region scale: fifty a page, purchasers first, searched by
// name or code and filtered by type (and by status for the admin), the filters kept in the page
// links, in the form and in the admin's activate button; bad values a 422 with the message next
// to the field; the scope narrows every filter.

const AT = "2026-11-01T08:00:00.000Z";
/** 63 more providers: 58 care farms (the last 5 inactive, the first 3 with a KvK number) and 5 others. */
const FARMS = 58;
const INACTIVE = 5;
const OTHERS = 5;

/** The rows of a list page: name and link, in the order shown. */
function rowsOf(html: string, path: string): { id: number; name: string }[] {
  const pattern = new RegExp(`<th scope="row"><a href="${path}/(\\d+)">([^<]+)</a>`, "g");
  return [...html.matchAll(pattern)].map((m) => ({ id: Number(m[1]), name: m[2] }));
}

function captionOf(html: string): string {
  return /<caption>([^<]*)<\/caption>/.exec(html)?.[1] ?? "";
}

/** An attribute's text as the browser reads it (handlebars escapes & and =). */
function unescaped(value: string): string {
  return value.replace(/&#x3D;/g, "=").replace(/&amp;/g, "&");
}

/** A link's href as the browser reads it. */
function hrefOf(html: string, rel: "next" | "prev"): string | null {
  const m = new RegExp(`<a href="([^"]+)" rel="${rel}">`).exec(html);
  return m ? unescaped(m[1]) : null;
}

describe("HTTP: the organisation lists are paged and filtered (issue 11.4)", () => {
  let ctx: TestContext;
  let admin: Agent;
  let coordinator: Agent;
  let providerA: Agent;
  let total: number;

  before(async () => {
    ctx = await startTestApp();
    for (let i = 1; i <= FARMS + OTHERS; i++) {
      const farm = i <= FARMS;
      const n = String(i).padStart(2, "0");
      await ctx.db("organisations").insert(
        withNameKeys("organisations", {
          kind: "provider",
          subkind: farm ? "zorgboerderij" : "overig",
          name: farm ? `Zorgboerderij Test ${n}` : `Aanbieder Overig ${n}`,
          agb_code: `970000${n}`,
          kvk_number: i <= 3 ? `8765430${i}` : null,
          active: !(farm && i > FARMS - INACTIVE),
          created_at: AT,
          updated_at: AT,
        }),
      );
    }
    // "De Éénhoorn": a search folds case and diacritics the same way as the name's key.
    await ctx.db("organisations").insert(withNameKeys("organisations", { kind: "provider", subkind: "dorpsdagvoorziening", name: "Dorpshuis De Éénhoorn", agb_code: "97100001", active: true, created_at: AT, updated_at: AT }));
    total = Number((await ctx.db("organisations").count({ n: "*" }))[0].n);
    admin = await loginAs(ctx.app, ctx.world.users.admin.email);
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    providerA = await loginAs(ctx.app, ctx.world.users.providerA.email);
  });
  after(async () => ctx.close());

  describe("/organisaties", () => {
    it("shows fifty a page, purchasers first, with a count and links to the next and previous page", async () => {
      expect(total).to.be.greaterThan(ORGANISATIONS_PER_PAGE);
      const first = await coordinator.get("/organisaties");
      expect(first.status).to.equal(200);
      const rows1 = rowsOf(first.text, "/organisaties");
      expect(rows1).to.have.length(ORGANISATIONS_PER_PAGE);
      expect(captionOf(first.text)).to.equal(`1–50 van ${total} organisaties`);
      expect(rows1.slice(0, 2).map((r) => r.name)).to.deep.equal(["Gemeente Peel en Maas", "VGZ Zorgkantoor Noord- en Midden-Limburg"]);
      // Each kind under its own heading row, purchasers before providers.
      expect(first.text.indexOf('<th scope="rowgroup" colspan="3">Inkopers</th>')).to.be.greaterThan(0);
      expect(first.text.indexOf("Inkopers</th>")).to.be.lessThan(first.text.indexOf("Aanbieders</th>"));
      expect(hrefOf(first.text, "prev")).to.equal(null);
      expect(hrefOf(first.text, "next")).to.equal("/organisaties?pagina=2");
      expect(first.text).to.contain("Pagina 1 van 2");

      const second = await coordinator.get("/organisaties?pagina=2");
      const rows2 = rowsOf(second.text, "/organisaties");
      expect(rows2).to.have.length(total - ORGANISATIONS_PER_PAGE);
      expect(captionOf(second.text)).to.equal(`51–${total} van ${total} organisaties`);
      expect(hrefOf(second.text, "prev")).to.equal("/organisaties?pagina=1");
      expect(hrefOf(second.text, "next")).to.equal(null);
      // The two pages together are every organisation, each once, in the list's order.
      const ids = [...rows1, ...rows2].map((r) => r.id);
      expect(new Set(ids).size).to.equal(total);
      const expected = await ctx.db("organisations").orderBy([{ column: "kind", order: "desc" }, { column: "sort_key" }, { column: "id" }]).pluck("id");
      expect(ids).to.deep.equal(expected);
    });

    it("a page past the end shows the last page; a page that is not a number the first", async () => {
      const past = await coordinator.get("/organisaties?pagina=9");
      expect(past.status).to.equal(200);
      expect(captionOf(past.text)).to.equal(`51–${total} van ${total} organisaties`);
      const nonsense = await coordinator.get("/organisaties?pagina=abc");
      expect(nonsense.status).to.equal(200);
      expect(captionOf(nonsense.text)).to.equal(`1–50 van ${total} organisaties`);
    });

    it("keeps the type filter and the search in the page links and in the form", async () => {
      const res = await coordinator.get("/organisaties?zoek=test&soort=zorgboerderij");
      expect(res.status).to.equal(200);
      expect(captionOf(res.text)).to.equal(`1–50 van ${FARMS} organisaties`);
      expect(rowsOf(res.text, "/organisaties").every((r) => r.name.startsWith("Zorgboerderij Test"))).to.equal(true);
      const next = hrefOf(res.text, "next")!;
      expect(next).to.equal("/organisaties?zoek=test&soort=zorgboerderij&pagina=2");
      expect(res.text).to.match(/<input id="f-zoek" name="zoek" type="search" value="test"/);
      expect(res.text).to.contain('<option value="zorgboerderij" selected>');
      const second = await coordinator.get(next);
      expect(rowsOf(second.text, "/organisaties")).to.have.length(FARMS - ORGANISATIONS_PER_PAGE);
      expect(hrefOf(second.text, "prev")).to.equal("/organisaties?zoek=test&soort=zorgboerderij&pagina=1");
    });

    it("finds a name by a part of it, whatever its case and accents", async () => {
      for (const q of ["test 07", "TEST 07", "boerderij test 07"]) {
        const res = await coordinator.get(`/organisaties?zoek=${encodeURIComponent(q)}`);
        expect(rowsOf(res.text, "/organisaties").map((r) => r.name), q).to.deep.equal(["Zorgboerderij Test 07"]);
      }
      const accent = await coordinator.get(`/organisaties?zoek=${encodeURIComponent("eenhoorn")}`);
      expect(rowsOf(accent.text, "/organisaties").map((r) => r.name)).to.deep.equal(["Dorpshuis De Éénhoorn"]);
      // A % or _ is a character searched for, not a wildcard.
      const wildcard = await coordinator.get(`/organisaties?zoek=${encodeURIComponent("%")}`);
      expect(wildcard.status).to.equal(200);
      expect(rowsOf(wildcard.text, "/organisaties")).to.have.length(0);
      expect(captionOf(wildcard.text)).to.equal("Geen organisaties gevonden.");
    });

    it("finds an organisation by its AGB code, KvK number or gemeentecode", async () => {
      const agb = await coordinator.get("/organisaties?zoek=98000001");
      expect(rowsOf(agb.text, "/organisaties").map((r) => r.name)).to.deep.equal(["Zorgboerderij A"]);
      const agbPart = await coordinator.get("/organisaties?zoek=9800000");
      expect(rowsOf(agbPart.text, "/organisaties").map((r) => r.name)).to.deep.equal(["Dorpsdagvoorziening B", "Zorgboerderij A"]);
      const kvk = await coordinator.get("/organisaties?zoek=87654302");
      expect(rowsOf(kvk.text, "/organisaties").map((r) => r.name)).to.deep.equal(["Zorgboerderij Test 02"]);
      const gemeentecode = await coordinator.get("/organisaties?zoek=1894");
      expect(rowsOf(gemeentecode.text, "/organisaties").map((r) => r.name)).to.deep.equal(["Gemeente Peel en Maas"]);
    });

    it("filters by type", async () => {
      const gemeente = await coordinator.get("/organisaties?soort=gemeente");
      expect(rowsOf(gemeente.text, "/organisaties").map((r) => r.name)).to.deep.equal(["Gemeente Peel en Maas"]);
      expect(gemeente.text).to.not.contain("Aanbieders</th>");
      const other = await coordinator.get("/organisaties?soort=overig");
      expect(rowsOf(other.text, "/organisaties")).to.have.length(OTHERS);
      expect(captionOf(other.text)).to.equal(`1–${OTHERS} van ${OTHERS} organisaties`);
      expect(hrefOf(other.text, "next")).to.equal(null);
    });

    it("answers a wrong type or an overlong search with 422, the message next to the field and the input kept", async () => {
      const kind = await coordinator.get("/organisaties?zoek=boerderij&soort=ziekenhuis");
      expect(kind.status).to.equal(422);
      expect(kind.text).to.contain('id="f-soort-error"');
      expect(kind.text).to.contain("Kies een van de mogelijkheden.");
      expect(kind.text).to.match(/<select id="f-soort" name="soort" aria-invalid="true" aria-describedby="f-soort-error">/);
      expect(kind.text).to.match(/name="zoek" type="search" value="boerderij"/);
      expect(rowsOf(kind.text, "/organisaties")).to.have.length(0);
      const long = "x".repeat(101);
      const search = await coordinator.get(`/organisaties?zoek=${long}`);
      expect(search.status).to.equal(422);
      expect(search.text).to.contain('id="f-zoek-error"');
      expect(search.text).to.contain("Dit is te lang.");
      expect(search.text).to.contain(`value="${long}"`);
      // A parameter given twice is not one text: 422, never a 500.
      const twice = await coordinator.get("/organisaties?zoek=a&zoek=b&soort=gemeente&soort=overig");
      expect(twice.status).to.equal(422);
      expect(twice.text).to.contain('class="error-summary"');
    });

    it("in English the heading rows and the form read English", async () => {
      const agent = await loginAs(ctx.app, ctx.world.users.purchaser.email);
      await postForm(agent, "/taal", { locale: "en", back: "/organisaties" });
      const res = await agent.get("/organisaties");
      expect(res.text).to.contain("Purchasers</th>");
      expect(res.text).to.contain("Search by name or code");
      await postForm(agent, "/taal", { locale: "nl", back: "/" });
    });
  });

  describe("the scope narrows every filter", () => {
    it("a provider finds only itself and the purchaser it has a contract with, whatever it searches", async () => {
      const all = await providerA.get("/organisaties");
      expect(rowsOf(all.text, "/organisaties").map((r) => r.name)).to.deep.equal(["Gemeente Peel en Maas", "Zorgboerderij A"]);
      expect(captionOf(all.text)).to.equal("1–2 van 2 organisaties");
      expect(hrefOf(all.text, "next")).to.equal(null);
      for (const q of ["zoek=9", "zoek=9800000", "zoek=test", "zoek=Dorpsdagvoorziening", "soort=zorgkantoor", "soort=overig", "zoek=vgz", "zoek=test&pagina=2", "soort=zorgboerderij&zoek=boerderij"]) {
        const res = await providerA.get(`/organisaties?${q}`);
        expect(res.status, q).to.equal(200);
        const names = rowsOf(res.text, "/organisaties").map((r) => r.name);
        expect(names.filter((n) => n !== "Gemeente Peel en Maas" && n !== "Zorgboerderij A"), q).to.deep.equal([]);
        for (const foreign of ["Dorpsdagvoorziening B", "VGZ Zorgkantoor", "Zorgboerderij Test", "Aanbieder Overig"]) expect(res.text, `${q}: ${foreign}`).to.not.contain(foreign);
      }
      const own = await providerA.get("/organisaties?zoek=9800000");
      expect(rowsOf(own.text, "/organisaties").map((r) => r.name)).to.deep.equal(["Zorgboerderij A"]);
    });

    it("a purchaser finds only itself and its contracts' providers", async () => {
      const agent = await loginAs(ctx.app, ctx.world.users.zorgkantoor.email);
      const res = await agent.get("/organisaties?zoek=9800000");
      expect(rowsOf(res.text, "/organisaties").map((r) => r.name)).to.deep.equal(["Dorpsdagvoorziening B"]);
      const gemeente = await agent.get("/organisaties?soort=gemeente");
      expect(rowsOf(gemeente.text, "/organisaties")).to.have.length(0);
      expect(gemeente.text).to.not.contain("Gemeente Peel en Maas");
    });
  });

  describe("/beheer/organisaties", () => {
    it("refuses every other role (403), with or without a filter", async () => {
      for (const role of ["coordinator", "providerA", "purchaser", "zorgkantoor"] as const) {
        const agent = role === "coordinator" ? coordinator : role === "providerA" ? providerA : await loginAs(ctx.app, ctx.world.users[role].email);
        for (const url of ["/beheer/organisaties", "/beheer/organisaties?zoek=test&status=inactief&pagina=2", "/beheer/organisaties?soort=x"]) {
          const res = await agent.get(url);
          expect(res.status, `${role} ${url}`).to.equal(403);
          expect(res.text).to.not.contain("Zorgboerderij Test");
        }
      }
    });

    it("shows every organisation fifty a page, the filters kept in the page links", async () => {
      const first = await admin.get("/beheer/organisaties");
      expect(first.status).to.equal(200);
      expect(rowsOf(first.text, "/beheer/organisaties")).to.have.length(ORGANISATIONS_PER_PAGE);
      expect(captionOf(first.text)).to.equal(`1–50 van ${total} organisaties`);
      expect(hrefOf(first.text, "next")).to.equal("/beheer/organisaties?pagina=2");
      const second = await admin.get("/beheer/organisaties?pagina=2");
      expect(rowsOf(second.text, "/beheer/organisaties")).to.have.length(total - ORGANISATIONS_PER_PAGE);

      const filtered = await admin.get("/beheer/organisaties?zoek=test&soort=zorgboerderij&status=actief");
      expect(captionOf(filtered.text)).to.equal(`1–50 van ${FARMS - INACTIVE} organisaties`);
      expect(hrefOf(filtered.text, "next")).to.equal("/beheer/organisaties?zoek=test&soort=zorgboerderij&status=actief&pagina=2");
      expect(filtered.text).to.contain('<option value="actief" selected>');
      const page2 = await admin.get(hrefOf(filtered.text, "next")!);
      expect(rowsOf(page2.text, "/beheer/organisaties")).to.have.length(FARMS - INACTIVE - ORGANISATIONS_PER_PAGE);
      expect(hrefOf(page2.text, "prev")).to.equal("/beheer/organisaties?zoek=test&soort=zorgboerderij&status=actief&pagina=1");
    });

    it("filters by status, and searches by name and code", async () => {
      const inactive = await admin.get("/beheer/organisaties?status=inactief");
      const names = rowsOf(inactive.text, "/beheer/organisaties").map((r) => r.name);
      expect(names).to.deep.equal(["Zorgboerderij Test 54", "Zorgboerderij Test 55", "Zorgboerderij Test 56", "Zorgboerderij Test 57", "Zorgboerderij Test 58"]);
      expect(inactive.text.match(/<tr class="inactive">/g)).to.have.length(INACTIVE);
      const active = await admin.get("/beheer/organisaties?status=actief&zoek=test%2056");
      expect(rowsOf(active.text, "/beheer/organisaties")).to.have.length(0);
      const agb = await admin.get("/beheer/organisaties?zoek=97000056");
      expect(rowsOf(agb.text, "/beheer/organisaties").map((r) => r.name)).to.deep.equal(["Zorgboerderij Test 56"]);
      const kvk = await admin.get("/beheer/organisaties?zoek=87654301");
      expect(rowsOf(kvk.text, "/beheer/organisaties").map((r) => r.name)).to.deep.equal(["Zorgboerderij Test 01"]);
    });

    it("answers a wrong status or type with 422, the message next to the field and the input kept", async () => {
      const res = await admin.get("/beheer/organisaties?zoek=Test%2001&soort=gemeente&status=weg");
      expect(res.status).to.equal(422);
      expect(res.text).to.contain('id="f-status-error"');
      expect(res.text).to.match(/<select id="f-status" name="status" aria-invalid="true"/);
      expect(res.text).to.match(/name="zoek" type="search" value="Test 01"/);
      expect(res.text).to.contain('<option value="gemeente" selected>');
      expect(rowsOf(res.text, "/beheer/organisaties")).to.have.length(0);
      const kind = await admin.get("/beheer/organisaties?soort=provider");
      expect(kind.status).to.equal(422);
      expect(kind.text).to.contain('id="f-soort-error"');
    });

    it("the activate button brings the admin back to the same filtered page", async () => {
      const url = "/beheer/organisaties?zoek=test&soort=zorgboerderij&pagina=2";
      const page = await admin.get(url);
      const kept = [...page.text.matchAll(/name="terug" value="([^"]*)"/g)].map((m) => unescaped(m[1]));
      expect(kept).to.have.length(rowsOf(page.text, "/beheer/organisaties").length);
      expect(new Set(kept)).to.deep.equal(new Set([url]));
      const target = rowsOf(page.text, "/beheer/organisaties")[0];
      const res = await postForm(admin, `/beheer/organisaties/${target.id}/actief`, { active: "0", terug: url }, url);
      expect(res.status).to.equal(303);
      expect(res.headers.location).to.equal(url);
      expect(Boolean((await ctx.db("organisations").where({ id: target.id }).first("active")).active)).to.equal(false);
      const back = await admin.get(url);
      expect(back.text).to.contain("De organisatie en haar gebruikers zijn gedeactiveerd.");
      await postForm(admin, `/beheer/organisaties/${target.id}/actief`, { active: "1", terug: url }, url);
      expect(Boolean((await ctx.db("organisations").where({ id: target.id }).first("active")).active)).to.equal(true);
    });

    it("the button never returns anywhere but the list", async () => {
      const id = ctx.world.providerB;
      for (const terug of ["https://evil.example/beheer/organisaties", "//evil.example/beheer/organisaties", "/beheer/gebruikers", "/beheer/organisaties?soort=x", "/beheer/organisaties?zoek=a&next=/x", "javascript:alert(1)", ""]) {
        const res = await postForm(admin, `/beheer/organisaties/${id}/actief`, { active: "1", terug }, "/beheer/organisaties");
        expect(res.status, terug).to.equal(303);
        const expected = terug === "/beheer/organisaties?zoek=a&next=/x" ? "/beheer/organisaties?zoek=a" : "/beheer/organisaties";
        expect(res.headers.location, terug).to.equal(expected);
      }
    });
  });
});
