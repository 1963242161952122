/**
 * Entries sorted by their path, by UTF-16 code unit (as `Array.prototype.sort` compares strings, never by
 * locale): the one order of every file map, template list and precompiled module, so output is stable.
 */
export function sortedByPath<V>(entries: Iterable<readonly [string, V]>): Array<[string, V]> {
  return [...entries].map(([p, v]): [string, V] => [p, v]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
