/**
 * What a table adds after a key some of whose `calls` named an alias and no key (usage's keyFromAlias): their key
 * is the one the alias history gives. Empty when none did.
 */
export function viaAliasNote(calls: number): string {
  return calls > 0 ? ` (${calls} via alias, inferred)` : "";
}
