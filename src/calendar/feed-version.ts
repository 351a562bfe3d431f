import { createHash } from "node:crypto";
import type { Knex } from "knex";
import type { Window } from "../domain/feed-events";
import { DELETION_ACTIONS } from "./plan-repository";

// What a feed's body is made of, summed up in one query: per kind of row that shapes it, how
// many there are, the latest updated_at and the sum of their ids (schedules over all time, as
// their latest change is the events' SEQUENCE). Every writer stamps updated_at
// on what it changes (see feed-events.ts, SEQUENCE), an insert raises the latest stamp and a
// deletion the count (or the sum of ids), so the summary moves exactly when the body can. An
// unchanged feed is answered 304 from it without building the body, and a changed one is built
// once and kept (feed-service.ts) until the summary moves again.

type Db = Knex | Knex.Transaction;

/** count · latest updated_at · sum of ids, as one text per kind of row. */
const SUMMARY = "count(*) || '/' || coalesce(max(%.updated_at), '') || '/' || coalesce(sum(%.id), 0)";
const summary = (alias: string) => SUMMARY.replaceAll("%", alias);

export async function clientFeedVersion(db: Db, clientId: number, window: Window): Promise<string> {
  const inWindow = "s.valid_from <= ? and (s.valid_until is null or s.valid_until >= ?)";
  const locations = `select s.location_id from schedules s where s.client_id = ? and ${inWindow}
    union select a.location_id from attendance a where a.client_id = ? and a.status = 'extra' and a.date between ? and ?`;
  const sql = `select
    (select updated_at from clients where id = ?) as client,
    (select ${summary("s")} from schedules s where s.client_id = ?) as schedules,
    (select ${summary("ss")} from schedule_slots ss join schedules s on s.id = ss.schedule_id where s.client_id = ?) as slots,
    (select ${summary("a")} from attendance a where a.client_id = ? and a.date between ? and ?) as attendance,
    (select ${summary("l")} || '/' || coalesce(max(v.updated_at), '') from locations l join villages v on v.id = l.village_id where l.id in (${locations})) as locations,
    (select ${summary("c")} from closures c where c.provider_id in (select l.provider_id from locations l where l.id in (${locations}))
       and c.starts_on <= ? and c.ends_on >= ?) as closures`;
  const w = [window.until, window.from];
  const loc = [clientId, ...w, clientId, window.from, window.until];
  const bindings = [clientId, clientId, clientId, clientId, window.from, window.until, ...loc, ...loc, window.until, window.from];
  return versionOf(db, sql, bindings, ["client", clientId, window.from, window.until]);
}

export async function locationFeedVersion(db: Db, locationId: number, window: Window): Promise<string> {
  const scheduledHere = "select s2.client_id from schedules s2 where s2.location_id = ?";
  const deletions = DELETION_ACTIONS.map(() => "(entity = ? and action = ?)").join(" or ");
  const sql = `select
    (select ${summary("l")} || '/' || coalesce(max(v.updated_at), '') from locations l join villages v on v.id = l.village_id where l.id = ?) as location,
    (select ${summary("s")} from schedules s where s.location_id = ?) as schedules,
    (select ${summary("ss")} from schedule_slots ss join schedules s on s.id = ss.schedule_id where s.location_id = ?) as slots,
    (select ${summary("a")} from attendance a where a.date between ? and ? and (a.location_id = ? or a.client_id in (${scheduledHere}))) as attendance,
    (select ${summary("c")} from clients c where c.id in (${scheduledHere}) or c.id in (select a.client_id from attendance a where a.location_id = ? and a.date between ? and ?)) as clients,
    (select ${summary("c")} from closures c where c.provider_id = (select provider_id from locations where id = ?) and c.starts_on <= ? and c.ends_on >= ?) as closures,
    (select max(created_at) from audit_log where ${deletions}) as deletions`;
  const bindings = [
    locationId,
    locationId,
    locationId,
    window.from, window.until, locationId, locationId,
    locationId, locationId, window.from, window.until,
    locationId, window.until, window.from,
    ...DELETION_ACTIONS.flatMap((d) => [d.entity, d.action]),
  ];
  return versionOf(db, sql, bindings, ["location", locationId, window.from, window.until]);
}

async function versionOf(db: Db, sql: string, bindings: (string | number)[], about: (string | number)[]): Promise<string> {
  const result = await db.raw(sql, bindings);
  const row: Record<string, unknown> = Array.isArray(result) ? result[0] : result.rows[0];
  return createHash("sha256").update(JSON.stringify([...about, ...Object.values(row ?? {})])).digest("base64url");
}
