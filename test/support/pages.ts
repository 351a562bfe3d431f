import type { Agent } from "./app";
import { encodeForm } from "./planning-fixtures";

// Pages as a user reaches them, fetched over HTTP without a browser: the demo data on a fixed
// day (./demo-app), logged in as a demo user, every link in the navigation and the pages one and
// two clicks further (one page per kind of address), and forms submitted with the fields as the
// page filled them plus what the test changes. For checks on the markup itself (HTML validity).

export type FetchedPage = { label: string; url: string; status: number; html: string };

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#x27": "'", "#39": "'", "#x3D": "=", "#x60": "`" };
const decode = (s: string) => s.replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (m, e: string) => ENTITIES[e] ?? m);
const attr = (tag: string, name: string): string | null => {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? decode(m[1]) : null;
};

/** The option values (ids) of one <select> on a page, in order; the <select> must be there. */
export function optionsOf(html: string, id: string): number[] {
  const select = html.match(new RegExp(`<select id="${id}"[\\s\\S]*?</select>`))?.[0];
  if (select === undefined) throw new Error(`no select #${id} on the page`);
  return [...select.matchAll(/<option value="(\d+)"/g)].map((m) => Number(m[1]));
}

/** A page with Handlebars' "=" and "&" escapes undone, to compare addresses and values as typed. */
export const decodeEquals = (html: string): string => html.replace(/&#x3D;/g, "=").replace(/&amp;/g, "&");

/** The next page's address of a paginated list, as its link gives it. */
export function nextPageUrl(html: string): string | null {
  return decodeEquals(html).match(/<a href="([^"]+)" rel="next">/)?.[1] ?? null;
}

/** The links inside <main> to pages of the app (no fragments). */
export function linksInMain(html: string): string[] {
  const main = html.slice(html.indexOf("<main"), html.indexOf("</main>"));
  return [...main.matchAll(/<a\s[^>]*href="(\/[^"]*)"/g)].map((m) => decode(m[1]).split("#")[0]);
}

export function navigationLinks(html: string): string[] {
  const nav = html.slice(html.indexOf('<nav class="main-nav"'), html.indexOf("</nav>", html.indexOf('<nav class="main-nav"')));
  return [...nav.matchAll(/<a\s[^>]*href="(\/[^"]*)"/g)].map((m) => decode(m[1]));
}

const DOWNLOAD = /\/(csv|export)(\/|$|\?)|\.(csv|xml|ics)(\?|$)|[?&]formaat=csv/;
const kindOf = (href: string) => new URL(href, "http://x").pathname.replace(/\/\d+(?=\/|$)/g, "/:id");

/**
 * Every page in the agent's navigation and the kinds of page one and two clicks further, each
 * kind once (/clienten/12 and /clienten/95 are the same page); `seen` carries the kinds already
 * fetched for another user of the same role.
 */
export async function crawl(agent: Agent, label: string, seen: Set<string>, depth = 2): Promise<FetchedPage[]> {
  const home = await agent.get("/");
  const pages: FetchedPage[] = [];
  let level = navigationLinks(home.text);
  for (const href of level) seen.add(kindOf(href));
  for (let d = 0; d <= depth && level.length > 0; d++) {
    const next: string[] = [];
    for (const url of level) {
      const res = await agent.get(url);
      pages.push({ label: `${label} ${url}`, url, status: res.status, html: res.text });
      if (d === depth || !String(res.headers["content-type"]).startsWith("text/html")) continue;
      for (const link of linksInMain(res.text)) {
        const kind = kindOf(link);
        if (DOWNLOAD.test(link) || seen.has(kind)) continue;
        seen.add(kind);
        next.push(link);
      }
    }
    level = next;
  }
  return pages;
}

/**
 * The fields of the form with this action on the page, as a browser would send them untouched:
 * inputs with their values (checkboxes and radios only when checked), each select's chosen
 * option (or its first), textareas' text.
 */
export function formFields(html: string, action: string): Record<string, string | string[]> {
  const forms = [...html.matchAll(/<form\s[^>]*>[\s\S]*?<\/form>/g)].map((m) => m[0]);
  const form = forms.find((f) => attr(f.slice(0, f.indexOf(">") + 1), "action") === action);
  if (!form) throw new Error(`no form with action ${action} on the page`);
  const fields: Record<string, string | string[]> = {};
  const add = (name: string, value: string) => {
    const had = fields[name];
    fields[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  };
  for (const [tag] of form.matchAll(/<input\s[^>]*>/g)) {
    const name = attr(tag, "name");
    const type = attr(tag, "type") ?? "text";
    if (!name || ["submit", "button"].includes(type)) continue;
    if ((type === "checkbox" || type === "radio") && !/\schecked[\s>]/.test(tag)) continue;
    add(name, attr(tag, "value") ?? (type === "checkbox" ? "on" : ""));
  }
  for (const m of form.matchAll(/<select\s([^>]*)>([\s\S]*?)<\/select>/g)) {
    const name = attr(`<x ${m[1]}>`, "name");
    if (!name) continue;
    const options = [...m[2].matchAll(/<option\s([^>]*)>/g)].map((o) => o[1]);
    const chosen = options.find((o) => /\sselected|^selected/.test(` ${o}`)) ?? options[0];
    add(name, chosen ? (attr(` ${chosen}`, "value") ?? "") : "");
  }
  for (const m of form.matchAll(/<textarea\s([^>]*)>([\s\S]*?)<\/textarea>/g)) {
    const name = attr(`<x ${m[1]}>`, "name");
    if (name) add(name, decode(m[2]));
  }
  return fields;
}

/** Opens a page, fills its form (the page's values, then the overrides) and submits it. */
export async function submitForm(
  agent: Agent,
  label: string,
  pageUrl: string,
  action: string,
  overrides: Record<string, string | string[] | null> = {},
): Promise<FetchedPage> {
  const page = await agent.get(pageUrl);
  if (page.status !== 200) throw new Error(`${label}: ${pageUrl} answered ${page.status}`);
  const fields: Record<string, string | string[]> = formFields(page.text, action);
  for (const [k, v] of Object.entries(overrides)) {
    if (v === null) delete fields[k];
    else fields[k] = v;
  }
  const res = await agent.post(action).type("form").send(encodeForm(fields));
  return { label, url: `POST ${action}`, status: res.status, html: res.text };
}
