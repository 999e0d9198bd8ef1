/**
 * The caveat of an answer that counts calls whose record named an alias and no key (usage's keyFromAlias):
 * they are counted on the key the trail's alias history gives, which no record of theirs names. null for none.
 */
export function keyFromAliasCaveat(calls: number): string | null {
  return calls === 0
    ? null
    : `${calls} call(s) named an alias and their records no key: they are counted on the key the trail's alias history had the alias pointing to at the time (inferred; keyFromAlias)`;
}
