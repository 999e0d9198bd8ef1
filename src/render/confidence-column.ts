/**
 * A table's confidence column, shown only when some row is not `recorded`: most findings and grants restate
 * logged records, and a column of "recorded" on every row says nothing. Spread `header` into the headers and
 * `cell(item)` into each row at the same place.
 */
export function confidenceColumn<T extends { confidence: string }>(
  items: readonly T[],
): { header: string[]; cell: (item: T) => string[] } {
  const rated = items.some((item) => item.confidence !== "recorded");
  return { header: rated ? ["confidence"] : [], cell: (item) => (rated ? [item.confidence] : []) };
}
