/**
 * Sets `key` in a map that never holds more than `max` entries: when full, the oldest entry goes
 * (Maps iterate in insertion order, so the first key is the oldest).
 */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (map.size >= max && !map.has(key)) map.delete(map.keys().next().value as K);
  map.set(key, value);
}
