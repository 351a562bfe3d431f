// Rows grouped by a key, in the order they come: the indexes the fast paths build over a
// region's thousands of schedules, allocations and rows. A list is grown in place: copying it
// for every row added (`[...(map.get(k) ?? []), row]`) made garbage in proportion to the square
// of a group's size, and the garbage collection it called for landed in those requests'
// longest blocks (issue 11).

/** Adds `item` to the list of `key`, starting the list at the first. */
export function addToGroup<K, T>(groups: Map<K, T[]>, key: K, item: T): void {
  const list = groups.get(key);
  if (list) list.push(item);
  else groups.set(key, [item]);
}
