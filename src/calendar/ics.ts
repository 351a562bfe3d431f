import { createHash } from "node:crypto";
import ical, { foldLines, type ICalCalendar, type ICalEventData } from "ical-generator";
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import { DateTime } from "luxon";
import { ZONE } from "../domain/clock";
import type { FeedEvent, FeedLocation } from "../domain/feed-events";
import { DEFAULT_LOCALE, translator } from "../web/i18n";
import { Turns } from "../web/turns";

// Feed events → iCalendar text. Every event carries TZID=Europe/Amsterdam and the calendar
// one VTIMEZONE for it (ical-generator writes none by itself: the generator comes from
// @touch4it/ical-timezones). The calendar gets the generator but no zone *name*: with a name,
// ical-generator writes DTSTAMP in local time without "Z", and RFC 5545 (3.8.7.2) wants
// DTSTAMP in UTC. Nothing here reads a clock, so the same events give the same bytes.

export type FeedKind = { scope: "client"; clientName: string } | { scope: "location"; locationName: string };

/** One line of address as a phone's map app understands it. */
export function addressOf(location: FeedLocation): string {
  return `${location.name}, ${location.street}, ${location.postcode} ${location.village}`;
}

export function renderFeed(kind: FeedKind, events: FeedEvent[]): string {
  const t = translator(DEFAULT_LOCALE);
  const cal = calendarFor(kind, t);
  for (const e of inOrder(events)) cal.createEvent(eventData(kind, e, t));
  return cal.toString();
}

/**
 * renderFeed's bytes, event by event with turns for other requests in between (src/web/turns.ts):
 * ical-generator folds the whole text in one piece, measuring every character's UTF-8 length
 * with a new TextEncoder — a client's year of events held the event loop for about 100 ms.
 * Folding goes line by line, so the text of a calendar with only its first event (header, that
 * event, footer) is cut around that event, and each event's own folded lines go in between.
 * test/unit/calendar.test.ts holds it to renderFeed on random feeds.
 */
export async function renderFeedInTurns(kind: FeedKind, events: FeedEvent[]): Promise<string> {
  const list = inOrder(events);
  if (list.length === 0) return renderFeed(kind, list);
  const t = translator(DEFAULT_LOCALE);
  const cal = calendarFor(kind, t);
  const head = cal.createEvent(eventData(kind, list[0], t));
  const whole = cal.toString();
  const first = foldLines(head.toString());
  const at = whole.indexOf(first);
  // Cannot happen (a calendar's text holds its event's lines as they are): the one-piece way then.
  if (at < 0 || whole.indexOf(first, at + 1) >= 0) return renderFeed(kind, list);
  const parts = [whole.slice(0, at), first];
  const turns = new Turns(4);
  for (let i = 1; i < list.length; i++) {
    if (turns.due()) await turns.pass();
    parts.push(foldLines(cal.createEvent(eventData(kind, list[i], t)).toString()));
  }
  parts.push(whole.slice(at + first.length));
  return parts.join("");
}

function calendarFor(kind: FeedKind, t: ReturnType<typeof translator>): ICalCalendar {
  // Feeds are read without a session, by whoever the link was given to: Dutch, the default.
  const cal = ical({
    name: kind.scope === "client" ? t("calendar.feed.clientCalendarName", { name: kind.clientName }) : t("calendar.feed.locationCalendarName", { name: kind.locationName }),
    prodId: { company: "dagdeel", product: "agenda", language: "NL" },
    // A hint to subscribers how often to look again; the ETag makes an unchanged look cheap.
    ttl: 60 * 60,
  });
  cal.timezone({ name: null, generator: getVtimezoneComponent });
  return cal;
}

const inOrder = (events: FeedEvent[]) => [...events].sort((a, b) => a.start.toMillis() - b.start.toMillis() || a.uid.localeCompare(b.uid));

function eventData(kind: FeedKind, e: FeedEvent, t: ReturnType<typeof translator>): ICalEventData {
  const stamp = DateTime.fromISO(e.stamp, { zone: "utc" });
  const dagdeel = t(`dagdeel.${e.dagdeel}`);
  return {
    id: e.uid,
    sequence: e.sequence,
    stamp,
    lastModified: stamp,
    start: e.start,
    end: e.end,
    timezone: ZONE,
    summary:
      kind.scope === "client"
        ? t("calendar.feed.clientSummary", { location: e.location.name })
        : t("calendar.feed.locationSummary", { dagdeel, count: e.clientNames.length }),
    description: kind.scope === "location" ? e.clientNames.join(", ") : null,
    location: addressOf(e.location),
  };
}

/** A strong validator for the exact bytes served. */
export function etagOf(body: string): string {
  return `"${createHash("sha256").update(body, "utf8").digest("base64url")}"`;
}

/** Does an If-None-Match header name this ETag? (Weak comparison, as RFC 9110 asks for GET.) */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === "*") return true;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((candidate) => candidate.trim().replace(/^W\//, "") === bare);
}
