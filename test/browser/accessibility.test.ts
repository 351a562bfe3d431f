import { expect } from "chai";
import type { Locator, Page } from "playwright-core";
import { DEMO_USERS } from "../../seeds/demo";
import { withNameKeys } from "../../src/db/name-keys";
import { addSetupClient, addSetupLocation, axeViolations, logIn, startBrowserSuite, type BrowserContext } from "../support/browser";

// WCAG 2.0 and 2.1 A and AA, checked by axe-core in real Chromium: on every page in each role's
// navigation and the pages one and two clicks from it, and on every feature's forms showing
// validation errors (and a schedule refused as full). Zero violations.
describe("browser: accessibility of every page in the navigation (axe-core, WCAG 2.1 AA)", function () {
  // Each crawl runs axe-core on dozens of pages: well over two minutes on a busy 2-core machine.
  this.timeout(300_000);
  let ctx: BrowserContext;

  before(async function () {
    ctx = await startBrowserSuite(this);
    // For a schedule refused as full: a location with one place on Monday and Wednesday morning.
    await addSetupLocation(ctx.db, { provider: "Zorgboerderij De Peelhoeve", name: "De Peelhoeve Kleine Schuur", village: "Meijel", places: [{ weekday: 1, dagdeel: "ochtend", places: 1 }, { weekday: 3, dagdeel: "ochtend", places: 1 }] });
    await addSetupClient(ctx.db, { first_name: "Harrie", last_name: "Verheggen", village: "Meijel" });
    await addSetupClient(ctx.db, { first_name: "Door", last_name: "Kurvers", village: "Meijel" });
  });
  after(async () => ctx?.close());

  async function expectNoViolations(page: Page, where: string) {
    const violations = await axeViolations(page);
    expect(violations, `${where}: ${JSON.stringify(violations, null, 2)}`).to.deep.equal([]);
  }

  it("axe-core does find violations when a page has them (the check is not empty)", async () => {
    const page = await ctx.newPage();
    await page.goto(`${ctx.baseUrl}/login`);
    // An input without a label and grey text on grey: two rules any page here could break.
    // (Styled through the CSSOM: the page's CSP refuses style attributes, as it should.)
    await page.evaluate(`document.querySelector("main").insertAdjacentHTML("beforeend", '<input id="x-unlabelled"><p class="x-faint">zwak</p>'); Object.assign(document.querySelector(".x-faint").style, { color: "#aaa", background: "#bbb" })`);
    const ids = (await axeViolations(page)).map((v) => v.id);
    expect(ids).to.include.members(["label", "color-contrast"]);
    await page.close();
  });

  it("the login page, in Dutch and in English", async () => {
    const page = await ctx.newPage();
    await page.goto(`${ctx.baseUrl}/login`);
    await expectNoViolations(page, "/login");
    await page.getByRole("button", { name: "English" }).click();
    await expect(await page.locator("html").getAttribute("lang")).to.equal("en");
    await expectNoViolations(page, "/login (en)");
    await page.close();
  });

  it("the login form with validation errors", async () => {
    const page = await ctx.newPage();
    await page.goto(`${ctx.baseUrl}/login`);
    await page.getByRole("button", { name: "Inloggen" }).click();
    await page.waitForSelector("#f-email-error");
    await expectNoViolations(page, "/login with errors");
    await page.close();
  });

  // Every page in each role's navigation, and every kind of page one and two clicks further
  // (a location, a client, an allocation, a schedule, the board and its print version, a
  // contract, a declaration, a printable roster, the forms behind "Nieuw…" and "Wijzigen"…).
  // One page per kind of address per role: /clienten/12 and /clienten/95 are the same page.
  const DOWNLOAD = /\/(csv|export)(\/|$|\?)|\.(csv|xlsx|json|xml|ics)(\?|$)/;
  const kindOf = (href: string) => new URL(href, "http://x").pathname.replace(/\/\d+(?=\/|$)/g, "/:id");
  const kindsSeen = new Map<string, Set<string>>();
  // The detail pages each role must have reached (so a changed link cannot silently shrink the check).
  const MUST_REACH: Record<string, string[]> = {
    coordinator: ["/locaties/:id", "/clienten/:id", "/toewijzingen/:id", "/roosters/:id", "/planning/locaties/:id", "/planning/locaties/:id/afdruk", "/contracten/:id", "/declaraties/:id", "/agenda/rooster/client/:id", "/agenda/rooster/locatie/:id", "/aanwezigheid/locaties/:id", "/berichten", "/berichten/import"],
    provider: ["/locaties/:id", "/locaties/:id/capaciteit", "/planning/locaties/:id", "/roosters/:id", "/contracten/:id", "/declaraties/:id", "/agenda/rooster/locatie/:id", "/aanwezigheid/locaties/:id", "/berichten", "/berichten/import"],
    purchaser: ["/contracten/:id", "/declaraties/:id", "/toewijzingen/:id", "/clienten/:id", "/locaties/:id", "/berichten"],
    admin: ["/beheer/gebruikers/:id", "/beheer/organisaties/:id", "/contracten/:id", "/beheer/producten", "/beheer/producten/:id", "/beheer/producten/nieuw"],
  };

  for (const user of DEMO_USERS) {
    it(`every page in the ${user.role} navigation (${user.email}), and the pages two clicks from it`, async () => {
      const page = await ctx.newPage();
      await logIn(page, ctx.baseUrl, user.email);
      const links = await page.locator("nav.main-nav a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href")!));
      expect(links.length).to.be.greaterThan(1);
      // A second user of a role adds its navigation and what the first did not reach.
      const seen = kindsSeen.get(user.role) ?? new Set<string>();
      kindsSeen.set(user.role, seen);
      let level = links;
      for (const href of links) seen.add(kindOf(href));
      for (let depth = 0; depth <= 2 && level.length > 0; depth++) {
        const next: string[] = [];
        for (const href of level) {
          const response = await page.goto(`${ctx.baseUrl}${href}`);
          expect(response?.status(), href).to.equal(200);
          await expectNoViolations(page, `${user.role} ${href}`);
          if (depth === 2) continue;
          const found = await page.locator("main a[href^='/']").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).getAttribute("href")!));
          for (const link of found) {
            const kind = kindOf(link);
            if (DOWNLOAD.test(link) || seen.has(kind)) continue;
            seen.add(kind);
            next.push(link.split("#")[0]);
          }
        }
        level = next;
      }
      expect([...seen], `${user.role}: pages reached`).to.include.members(MUST_REACH[user.role]);
      await page.close();
    });
  }

  it("the admin's user form showing validation errors, and the organisation form", async () => {
    const page = await ctx.newPage();
    const admin = DEMO_USERS.find((u) => u.role === "admin")!;
    await logIn(page, ctx.baseUrl, admin.email);
    await page.goto(`${ctx.baseUrl}/beheer/gebruikers/nieuw`);
    await expectNoViolations(page, "new user form");
    await page.getByLabel("E-mailadres").fill("geen-adres");
    await page.getByRole("button", { name: "Opslaan" }).click();
    await page.waitForSelector("#f-email-error");
    await expectNoViolations(page, "new user form with errors");
    await page.goto(`${ctx.baseUrl}/beheer/organisaties/nieuw`);
    await page.getByLabel("AGB-code").fill("12");
    await page.getByRole("button", { name: "Opslaan" }).click();
    await page.waitForSelector("#f-agb_code-error");
    await expectNoViolations(page, "new organisation form with errors");
    await page.close();
  });

  it("the account pages, two-factor set-up, the audit log's filters and a reset link", async () => {
    const page = await ctx.newPage();
    await logIn(page, ctx.baseUrl, "coordinator@dagdeel.demo");
    await page.getByRole("link", { name: /Anja Verstappen/ }).click();
    await expectNoViolations(page, "/account");
    await page.goto(`${ctx.baseUrl}/account/wachtwoord`);
    await page.getByRole("button", { name: "Wachtwoord opslaan" }).click();
    await page.waitForSelector("#f-current_password-error");
    await expectNoViolations(page, "password form with errors");
    await page.goto(`${ctx.baseUrl}/account/tweestaps`);
    await expectNoViolations(page, "two-factor set-up (QR code)");
    await page.getByRole("button", { name: "Tweestapsverificatie aanzetten" }).click();
    await page.waitForSelector("#f-code-error");
    await expectNoViolations(page, "two-factor set-up with errors");
    await page.context().close();

    const admin = await ctx.newPage();
    await logIn(admin, ctx.baseUrl, "beheer@dagdeel.demo");
    await admin.goto(`${ctx.baseUrl}/beheer/audit?van=2026-13-01`);
    await expectNoViolations(admin, "audit log with a bad filter");
    await admin.goto(`${ctx.baseUrl}/beheer/audit?gebruikersnaam=geurts`);
    await expectNoViolations(admin, "audit log by part of a user's name");
    await admin.goto(`${ctx.baseUrl}/beheer/gebruikers?zoek=geurts&rol=superuser&pagina=twee`);
    await expectNoViolations(admin, "user list with bad filters");
    await admin.goto(`${ctx.baseUrl}/beheer/gebruikers?rol=provider&status=actief`);
    await expectNoViolations(admin, "user list filtered");
    await admin.goto(`${ctx.baseUrl}/beheer/gebruikers`);
    await admin.getByRole("link", { name: "Mia Geurts" }).click();
    await admin.getByRole("button", { name: "Herstellink maken" }).click();
    await admin.waitForSelector("#reset-link");
    await expectNoViolations(admin, "reset link");
    const link = await admin.locator("#reset-link").inputValue();
    await admin.goto(link);
    await expectNoViolations(admin, "choose a new password");
    await admin.context().close();
  });

  /** Submits a form (or follows a link) that must answer with validation errors, then runs axe. */
  async function showsErrors(page: Page, action: Locator | string, where: string) {
    if (typeof action === "string") {
      expect((await page.goto(`${ctx.baseUrl}${action}`))?.status(), where).to.equal(422);
    } else {
      const [response] = await Promise.all([page.waitForNavigation(), action.click()]);
      expect(response?.status(), where).to.equal(422);
    }
    expect(await page.locator(".error-summary, .field-error").count(), `${where}: the errors are shown`).to.be.greaterThan(0);
    await expectNoViolations(page, where);
  }

  const idIn = (page: Page, pattern: RegExp) => page.url().match(pattern)![1];

  it("the provider's forms showing validation errors: location, capacity grid, closure, declaration, correction, WMO325 upload, a bad date", async () => {
    const page = await ctx.newPage();
    await logIn(page, ctx.baseUrl, "aanbieder@dagdeel.demo");
    await page.goto(`${ctx.baseUrl}/locaties/nieuw`);
    await page.getByLabel("Postcode").fill("5768");
    await showsErrors(page, page.getByRole("button", { name: "Opslaan" }), "location form with errors");

    await page.goto(`${ctx.baseUrl}/locaties`);
    await page.getByRole("link", { name: "De Peelhoeve", exact: true }).click();
    const locationId = idIn(page, /\/locaties\/(\d+)/);
    await page.getByRole("link", { name: "Capaciteit wijzigen" }).click();
    await page.getByRole("spinbutton", { name: /^maandag ochtend/ }).fill("-3");
    await page.getByRole("spinbutton", { name: /^dinsdag middag/ }).fill("1000");
    await page.getByLabel("Geldig vanaf").fill("2026-01-01");
    await showsErrors(page, page.getByRole("button", { name: "Opslaan" }), "capacity grid with errors");

    await page.goto(`${ctx.baseUrl}/locaties/sluitingen`);
    await showsErrors(page, page.getByRole("button", { name: "Sluiting toevoegen" }), "closure form with errors");
    await showsErrors(page, `/locaties/${locationId}?datum=31-02-2026`, "location week view with a bad date");
    await showsErrors(page, "/locaties/feestdagen?jaar=1999", "holidays with a bad year");

    await page.goto(`${ctx.baseUrl}/declaraties`);
    await showsErrors(page, page.getByRole("button", { name: "Declaratie voorbereiden" }), "preparing a declaration without a purchaser");

    // An answered month: a correction without its reason; a submitted one: an answer without a file.
    const open = async (status: RegExp) => {
      await page.goto(`${ctx.baseUrl}/declaraties`);
      await page.getByRole("row").filter({ hasText: "Gemeente Peel en Maas" }).filter({ has: page.getByRole("cell", { name: status }) }).first().getByRole("link").click();
      await page.getByRole("heading", { level: 1 }).waitFor();
    };
    await open(/^geaccepteerd/);
    await showsErrors(page, page.getByRole("button", { name: "Correctie openen" }), "opening a correction without a reason");
    await open(/^ingediend$/);
    await showsErrors(page, page.getByRole("button", { name: "Antwoord inlezen" }), "reading a WMO325 answer without a file");
    await page.close();
  });

  it("the coordinator's forms showing validation errors: client, allocation, schedule (incomplete, refused as full, overbooking without reason, end), waiting list, attendance, calendar link", async () => {
    const page = await ctx.newPage();
    await logIn(page, ctx.baseUrl, "coordinator@dagdeel.demo");
    await page.goto(`${ctx.baseUrl}/clienten/nieuw`);
    await page.getByLabel("BSN").fill("123456789");
    await page.getByLabel("Geboortedatum").fill("2030-01-01");
    await page.getByLabel("Postcode").fill("12");
    await showsErrors(page, page.getByRole("button", { name: "Opslaan" }), "client form with errors");

    const openClient = async (first: string, last: string) => {
      await page.goto(`${ctx.baseUrl}/clienten?q=${encodeURIComponent(`${first} ${last}`)}`);
      await page.getByRole("link", { name: `${last}, ${first}`, exact: true }).click();
      await page.getByRole("heading", { level: 1, name: `${first} ${last}` }).waitFor();
      return idIn(page, /\/clienten\/(\d+)/);
    };
    const harrie = await openClient("Harrie", "Verheggen");
    await page.getByRole("link", { name: "Nieuwe toewijzing" }).click();
    await page.getByLabel("Aantal eenheden").fill("0");
    await showsErrors(page, page.getByRole("button", { name: "Opslaan" }), "allocation form with errors");

    await page.goto(`${ctx.baseUrl}/clienten/${harrie}`);
    await page.getByRole("link", { name: "Nieuw rooster" }).click();
    await page.getByLabel("Vanaf").fill("2020-01-01");
    await showsErrors(page, page.getByRole("button", { name: "Rooster opslaan" }), "schedule form, incomplete");

    const schedule = async () => {
      await page.getByRole("link", { name: "Nieuw rooster" }).click();
      await page.getByLabel("Locatie").selectOption({ label: "De Peelhoeve Kleine Schuur (Zorgboerderij De Peelhoeve)" });
      await page.getByRole("group", { name: /Financiering/ }).getByLabel("eigen betaling").check();
      await page.getByRole("checkbox", { name: "woensdag ochtend" }).check();
    };
    await page.goto(`${ctx.baseUrl}/clienten/${harrie}`);
    await schedule();
    await page.getByRole("button", { name: "Rooster opslaan" }).click();
    await page.getByRole("status").filter({ hasText: "Het rooster is opgeslagen." }).waitFor();
    const scheduleId = idIn(page, /\/roosters\/(\d+)/);
    await openClient("Door", "Kurvers");
    await schedule();
    await showsErrors(page, page.getByRole("button", { name: "Rooster opslaan" }), "schedule form refused: the dagdeel is full");
    expect(await page.getByRole("alert").innerText()).to.contain("Geen plaats meer op");
    await page.getByLabel("Ik boek de cliënt toch in op de volle dagdelen").check();
    await showsErrors(page, page.getByRole("button", { name: "Rooster opslaan" }), "schedule form: overbooking without a reason");

    await page.goto(`${ctx.baseUrl}/roosters/${scheduleId}`);
    await showsErrors(page, page.getByRole("button", { name: "Beëindigen" }), "ending a schedule without a date");

    await page.goto(`${ctx.baseUrl}/wachtlijst/nieuw`);
    await showsErrors(page, page.getByRole("button", { name: "Op de wachtlijst zetten" }), "waiting-list form with errors");

    await page.goto(`${ctx.baseUrl}/aanwezigheid`);
    await page.getByRole("link", { name: "De Peelhoeve Kleine Schuur" }).first().click();
    const locationId = idIn(page, /\/aanwezigheid\/locaties\/(\d+)/);
    await showsErrors(page, page.getByRole("button", { name: "Toevoegen als extra" }), "attendance: an extra client not chosen");
    await showsErrors(page, `/aanwezigheid/locaties/${locationId}?datum=23-11-2026`, "attendance list with a bad date");
    await showsErrors(page, `/planning/locaties/${locationId}?datum=morgen`, "board with a bad date");

    await page.goto(`${ctx.baseUrl}/agenda/client/${harrie}`);
    await showsErrors(page, page.getByRole("button", { name: "Link maken" }), "calendar link without a label");
    await page.close();
  });

  it("the purchaser's forms showing validation errors: contract, contract line, refusing a declaration or a prestatie without retourcode, bad periods", async () => {
    const page = await ctx.newPage();
    await logIn(page, ctx.baseUrl, "inkoper@dagdeel.demo");
    await page.goto(`${ctx.baseUrl}/contracten/nieuw`);
    await page.getByLabel("Budgetplafond").fill("veel");
    await page.getByLabel("Geldig tot en met").fill("2025-01-01");
    await showsErrors(page, page.getByRole("button", { name: "Opslaan" }), "contract form with errors");

    await page.goto(`${ctx.baseUrl}/contracten`);
    await page.getByRole("link", { name: "PM-2026-ZB-01", exact: true }).click();
    await page.getByRole("link", { name: "Tariefregel toevoegen" }).click();
    await page.getByLabel("Volumeplafond").fill("-1");
    await showsErrors(page, page.getByRole("button", { name: "Opslaan" }), "contract line form with errors");

    await page.goto(`${ctx.baseUrl}/declaraties`);
    await page.getByRole("row").filter({ has: page.getByRole("cell", { name: "ingediend", exact: true }) }).first().getByRole("link").click();
    await showsErrors(page, page.getByRole("button", { name: "Alles afwijzen" }), "refusing a declaration without a retourcode");
    await page.getByRole("link", { name: /^Beoordelen/ }).first().click();
    await page.getByLabel("afgewezen", { exact: true }).check();
    await showsErrors(page, page.getByRole("button", { name: "Beoordeling opslaan" }), "refusing a prestatie without a retourcode");

    await showsErrors(page, "/contracten/dorpen?van=gisteren&tot=2026-01-01", "spending per village with a bad period");
    await showsErrors(page, "/vrije-plaatsen?weken=99", "free places with a bad number of weeks");
    await page.close();
  });

  it("works at phone width (390 px) without horizontal scrolling of the page", async () => {
    const page = await ctx.newPage({ viewport: { width: 390, height: 844 } });
    const coordinator = DEMO_USERS.find((u) => u.role === "coordinator")!;
    await logIn(page, ctx.baseUrl, coordinator.email);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).to.be.at.most(0);
    await expectNoViolations(page, "home at 390px");
    await page.close();
  });

  it("the organisation lists at region scale (issue 11.4): searched through the form, paged, and with a bad filter", async () => {
    // Last: more organisations than a page holds, so the page links show.
    for (let n = 1; n <= 60; n++) {
      await ctx.db("organisations").insert(withNameKeys("organisations", { kind: "provider", subkind: "zorgboerderij", name: `Regioboerderij ${n}`, agb_code: String(96000000 + n), active: n % 7 !== 0, created_at: "2026-11-01T08:00:00.000Z", updated_at: "2026-11-01T08:00:00.000Z" }));
    }
    const admin = await ctx.newPage();
    await logIn(admin, ctx.baseUrl, "beheer@dagdeel.demo");
    await admin.goto(`${ctx.baseUrl}/beheer/organisaties`);
    await admin.getByLabel("Zoeken op naam of code").fill("regio");
    await admin.getByLabel("Type").selectOption("zorgboerderij");
    await admin.getByLabel("Status").selectOption("actief");
    await admin.getByRole("button", { name: "Zoeken" }).click();
    await admin.getByRole("link", { name: "Volgende pagina" }).click();
    expect(new URL(admin.url()).search).to.equal("?zoek=regio&soort=zorgboerderij&status=actief&pagina=2");
    expect(await admin.getByLabel("Zoeken op naam of code").inputValue()).to.equal("regio");
    await expectNoViolations(admin, "/beheer/organisaties searched, page 2");
    // Deactivating one brings the admin back to the same filtered page.
    await Promise.all([admin.waitForNavigation(), admin.getByRole("button", { name: /^Deactiveren/ }).first().click()]);
    expect(await admin.locator(".flash").textContent()).to.contain("gedeactiveerd");
    expect(new URL(admin.url()).search).to.equal("?zoek=regio&soort=zorgboerderij&status=actief&pagina=2");
    await showsErrors(admin, "/beheer/organisaties?zoek=regio&status=weg", "/beheer/organisaties with a bad status");
    await admin.close();

    const coordinator = await ctx.newPage();
    await logIn(coordinator, ctx.baseUrl, "coordinator@dagdeel.demo");
    await coordinator.goto(`${ctx.baseUrl}/organisaties?pagina=2`);
    await coordinator.getByRole("link", { name: "Vorige pagina" }).waitFor();
    await expectNoViolations(coordinator, "/organisaties page 2");
    await showsErrors(coordinator, "/organisaties?zoek=regio&soort=ziekenhuis", "/organisaties with a bad type");
    await coordinator.close();
  });
});
