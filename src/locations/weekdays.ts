// ISO weekdays with their locale keys, written out so every key is a literal the locale test sees.
export const WEEKDAYS = [
  { n: 1, key: "locations.weekdays.monday", short: "locations.weekdaysShort.monday" },
  { n: 2, key: "locations.weekdays.tuesday", short: "locations.weekdaysShort.tuesday" },
  { n: 3, key: "locations.weekdays.wednesday", short: "locations.weekdaysShort.wednesday" },
  { n: 4, key: "locations.weekdays.thursday", short: "locations.weekdaysShort.thursday" },
  { n: 5, key: "locations.weekdays.friday", short: "locations.weekdaysShort.friday" },
  { n: 6, key: "locations.weekdays.saturday", short: "locations.weekdaysShort.saturday" },
  { n: 7, key: "locations.weekdays.sunday", short: "locations.weekdaysShort.sunday" },
] as const;

export function weekdayOf(n: number) {
  const found = WEEKDAYS.find((w) => w.n === n);
  if (!found) throw new RangeError(`not an ISO weekday: ${n}`);
  return found;
}
