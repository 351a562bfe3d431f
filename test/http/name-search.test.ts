import { expect } from "chai";
import { loginAs, postForm, startTestApp, type Agent, type TestContext } from "../support/app";
import { addClient } from "../support/clients-fixtures";
import { addLocation } from "../support/locations-fixtures";

// Names are found and sorted the same on SQLite and PostgreSQL (this suite runs on both, see
// TEST_APP_DATABASE): a search folds diacritics and case as the stored search key does, "van
// Lier" is found by its surname alone or in the register form "Lier, van", % and _ are literal,
// and the client list comes out in the one Dutch order the sort key gives.

const FORM = { bsn: "", birth_date: "1950-01-01", village_id: "", street: "", postcode: "", phone: "", notes: "" };

/** The order in which the names occur on a page (each must occur). */
function orderOn(html: string, names: string[]): string[] {
  for (const n of names) expect(html, n).to.contain(n);
  return [...names].sort((a, b) => html.indexOf(a) - html.indexOf(b));
}

describe("HTTP: searching and sorting names (Dutch, both databases)", () => {
  let ctx: TestContext;
  let coordinator: Agent;
  let admin: Agent;

  before(async () => {
    ctx = await startTestApp();
    coordinator = await loginAs(ctx.app, ctx.world.users.coordinator.email);
    admin = await loginAs(ctx.app, ctx.world.users.admin.email);
    // Two through the client form, so the repository writes their keys; the rest as fixtures.
    expect((await postForm(coordinator, "/clienten/nieuw", { ...FORM, first_name: "Ayşe", last_name: "Özdemir" })).status).to.equal(303);
    expect((await postForm(coordinator, "/clienten/nieuw", { ...FORM, first_name: "Gijs", last_name: "van Lier" })).status).to.equal(303);
    await addClient(ctx.db, { first_name: "Émile", last_name: "Ohm" });
    await addClient(ctx.db, { first_name: "Zoë", last_name: "Oz" });
    await addClient(ctx.db, { first_name: "Jan", last_name: "Lierop" });
    await addClient(ctx.db, { first_name: "Bram", last_name: "de Vries" });
    await addClient(ctx.db, { first_name: "Kees", last_name: "Aa_b" });
    await addClient(ctx.db, { first_name: "Kees", last_name: "Aaxb" });
    await addClient(ctx.db, { first_name: "Piet", last_name: "Vijftig 50%" });
    await addClient(ctx.db, { first_name: "Piet", last_name: "Vijftig 500" });
    await addLocation(ctx.db, ctx.world.providerA, ctx.world.village, "Café Één");
    await addLocation(ctx.db, ctx.world.providerA, ctx.world.village, "Korting 50%");
    await addLocation(ctx.db, ctx.world.providerA, ctx.world.village, "Korting 500");
  });
  after(async () => ctx.close());

  const clientSearch = async (q: string) => {
    const res = await coordinator.get(`/clienten?status=alle&q=${encodeURIComponent(q)}`);
    expect(res.status, q).to.equal(200);
    return res.text;
  };

  it("finds Özdemir by 'ozdemir', 'Özdemir', 'OZDEMIR' and 'ayse ozd'", async () => {
    for (const q of ["ozdemir", "Özdemir", "OZDEMIR", "ayse ozd", "Ayşe"]) {
      const html = await clientSearch(q);
      expect(html, q).to.contain("Özdemir, Ayşe");
      expect(html, q).to.not.contain("Ohm, Émile");
    }
  });

  it("finds van Lier by 'lier', 'van lier', 'Lier, van' and 'gijs lier', and not by 'van lierop'", async () => {
    for (const q of ["lier", "van lier", "Lier, van", "gijs lier", "LIER"]) expect(await clientSearch(q), q).to.contain("van Lier, Gijs");
    const lierop = await clientSearch("van lierop");
    expect(lierop).to.contain("Geen cliënten gevonden");
  });

  it("finds Émile Ohm and Zoë Oz without their accents", async () => {
    expect(await clientSearch("emile")).to.contain("Ohm, Émile");
    expect(await clientSearch("zoe oz")).to.contain("Oz, Zoë");
  });

  it("treats % and _ as the characters typed", async () => {
    const percent = await clientSearch("50%");
    expect(percent).to.contain("Vijftig 50%, Piet");
    expect(percent).to.not.contain("Vijftig 500, Piet");
    const underscore = await clientSearch("a_b");
    expect(underscore).to.contain("Aa_b, Kees");
    expect(underscore).to.not.contain("Aaxb, Kees");
  });

  it("lists clients in the Dutch order: by surname without tussenvoegsel, accents folded", async () => {
    const html = (await coordinator.get("/clienten?status=alle")).text;
    const names = ["Aa_b, Kees", "Aaxb, Kees", "van Lier, Gijs", "Lierop, Jan", "Ohm, Émile", "Oz, Zoë", "Özdemir, Ayşe", "Vijftig 50%, Piet", "Vijftig 500, Piet", "de Vries, Bram"];
    expect(orderOn(html, names)).to.deep.equal(names);
  });

  it("finds clients the same way on the planning form's client search", async () => {
    const html = (await coordinator.get(`/roosters/nieuw?zoek=${encodeURIComponent("özdemir")}`)).text;
    expect(html).to.contain("Ayşe Özdemir");
    const lier = (await coordinator.get(`/roosters/nieuw?zoek=${encodeURIComponent("Lier, van")}`)).text;
    expect(lier).to.contain("Gijs van Lier");
    expect(lier).to.not.contain("Jan Lierop");
  });

  it("finds locations on the waiting-list form without accents and with a literal %", async () => {
    const cafe = (await coordinator.get(`/wachtlijst/nieuw?plaats=${encodeURIComponent("cafe een")}`)).text;
    expect(cafe).to.contain("Café Één");
    const percent = (await coordinator.get(`/wachtlijst/nieuw?plaats=${encodeURIComponent("korting 50%")}`)).text;
    expect(percent).to.contain("Korting 50%");
    expect(percent).to.not.contain("Korting 500");
  });

  it("filters the audit log by a client's name without accents (the form's create entries)", async () => {
    const ozd = (await admin.get(`/beheer/audit?clientnaam=${encodeURIComponent("ozdemir")}`)).text;
    expect(ozd).to.contain("Ayşe Özdemir");
    expect(ozd).to.not.contain("Gijs van Lier");
    const lier = (await admin.get(`/beheer/audit?clientnaam=${encodeURIComponent("lier, van")}`)).text;
    expect(lier).to.contain("Gijs van Lier");
    expect(lier).to.not.contain("Ayşe Özdemir");
  });

  it("finds a client by the new name after an edit, and no longer by the old one", async () => {
    const id = (await ctx.db("clients").where({ last_name: "van Lier" }).first("id")).id;
    const res = await postForm(coordinator, `/clienten/${id}/wijzigen`, { ...FORM, first_name: "Gijs", last_name: "Çelik" });
    expect(res.status).to.equal(303);
    expect(await clientSearch("celik")).to.contain("Çelik, Gijs");
    expect(await clientSearch("van lier")).to.contain("Geen cliënten gevonden");
  });
});
