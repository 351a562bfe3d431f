import { createHash } from "node:crypto";
import ical from "ical-generator";
import { getVtimezoneComponent } from "@touch4it/ical-timezones";
import { DateTime } from "luxon";
import { ZONE } from "../domain/clock";
import type { FeedEvent, FeedLocation } from "../domain/feed-events";
import { DEFAULT_LOCALE, translator } from "../web/i18n";

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
  // Feeds are read without a session, by whoever the link was given to: Dutch, the default.
  const t = translator(DEFAULT_LOCALE);
  const cal = ical({
    name: kind.scope === "client" ? t("calendar.feed.clientCalendarName", { name: kind.clientName }) : t("calendar.feed.locationCalendarName", { name: kind.locationName }),
    prodId: { company: "dagdeel", product: "agenda", language: "NL" },
    // A hint to subscribers how often to look again; the ETag makes an unchanged look cheap.
    ttl: 60 * 60,
  });
  cal.timezone({ name: null, generator: getVtimezoneComponent });

  for (const e of [...events].sort((a, b) => a.start.toMillis() - b.start.toMillis() || a.uid.localeCompare(b.uid))) {
    const stamp = DateTime.fromISO(e.stamp, { zone: "utc" });
    const dagdeel = t(`dagdeel.${e.dagdeel}`);
    cal.createEvent({
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
    });
  }
  return cal.toString();
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
