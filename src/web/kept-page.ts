import { createHash } from "node:crypto";
import type { Request, Response } from "express";
import Handlebars from "handlebars";

/**
 * A whole page kept as rendered, for a page asked far more often than its answer changes (the
 * planning board, issue 11). Rendering the layout and a big page again for every request costs
 * more than the rest of the request together; here it is rendered once per owner (the kept
 * answer it shows: a new answer is a new object, and its pages go with the old one) and key
 * (everything else the page shows that is not per request: language, role, path, …).
 *
 * What differs per request — the session's CSRF token, the user's name, the current path in
 * the language switch — is rendered as a marker and put in by string concatenation, escaped
 * as Handlebars escapes it. A request with a flash message is rendered whole (it shows once).
 */

/** Markers no template text or escaped value can hold (control characters; Handlebars escapes none of them). */
const MARKERS = { csrfToken: "\u0001csrf\u0001", name: "\u0001name\u0001", currentPath: "\u0001path\u0001" } as const;
type Slot = keyof typeof MARKERS;
const SLOT_OF = new Map<string, Slot>(Object.entries(MARKERS).map(([slot, marker]) => [marker, slot as Slot]));
const SPLIT = /(\u0001(?:csrf|name|path)\u0001)/;

/** The rendered page cut at its markers, as bytes: parts[0] slot[0] parts[1] slot[1] … parts[n]. */
type Cut = { parts: Buffer[]; slots: Slot[]; id: number };

const pages = new WeakMap<object, Map<string, Cut>>();
let cuts = 0;

function cutAtMarkers(html: string): Cut {
  const pieces = html.split(SPLIT);
  const parts: Buffer[] = [];
  const slots: Slot[] = [];
  pieces.forEach((piece, i) => (i % 2 === 0 ? parts.push(Buffer.from(piece, "utf8")) : slots.push(SLOT_OF.get(piece)!)));
  return { parts, slots, id: ++cuts };
}

function render(req: Request, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => req.app.render(view, locals, (err, out) => (err ? reject(err) : resolve(out))));
}

/**
 * Sends `view` with `locals` (and the request's res.locals), the layout and the page rendered
 * once per (owner, key). The key must name everything the page shows besides `locals`,
 * res.locals' locale and navigation, and the per-request values above.
 */
export async function sendKeptPage(req: Request, res: Response, owner: object, key: string, view: string, locals: Record<string, unknown>): Promise<void> {
  if (res.locals.flash) return void res.render(view, locals);
  let kept = pages.get(owner);
  if (!kept) pages.set(owner, (kept = new Map()));
  let cut = kept.get(key);
  if (!cut) {
    const actor = res.locals.actor as { name: string } | undefined;
    const html = await render(req, view, {
      ...res.locals,
      ...locals,
      csrfToken: MARKERS.csrfToken,
      currentPath: MARKERS.currentPath,
      actor: actor && { ...actor, name: MARKERS.name },
    });
    kept.set(key, (cut = cutAtMarkers(html)));
  }
  const values: Record<Slot, string> = {
    csrfToken: String(res.locals.csrfToken ?? ""),
    name: String((res.locals.actor as { name?: string } | undefined)?.name ?? ""),
    currentPath: String(res.locals.currentPath ?? ""),
  };
  const chunks: Buffer[] = [cut.parts[0]];
  cut.slots.forEach((slot, i) => chunks.push(Buffer.from(Handlebars.Utils.escapeExpression(values[slot]), "utf8"), cut.parts[i + 1]));
  // A weak ETag from what made this body instead of a hash of its bytes: the kept page's
  // number and the values put in (so another token or name is another ETag).
  res.set("ETag", `W/"p${cut.id}-${etagOfValues(values)}"`);
  res.type("html").send(Buffer.concat(chunks));
}

/** A digest of the per-request values only: they are short, the page is not. */
function etagOfValues(values: Record<Slot, string>): string {
  return createHash("sha1").update(`${values.csrfToken}\u0000${values.name}\u0000${values.currentPath}`).digest("base64url");
}
