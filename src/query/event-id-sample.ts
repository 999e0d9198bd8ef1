/**
 * The evidence kept for a group of calls that may be millions long: the first and the last few, so that a
 * reader can pull both ends of the run from the raw trail, and how many were left out.
 */
export const SAMPLE_EACH_END = 5;

export class EventIdSample {
  private readonly head: number[] = [];
  private readonly tail: number[] = [];
  private seen = 0;

  /** Adds a usage-store row index (ids are read only for the rows kept, at the end). */
  add(row: number): void {
    this.seen++;
    if (this.head.length < SAMPLE_EACH_END) {
      this.head.push(row);
      return;
    }
    this.tail.push(row);
    if (this.tail.length > SAMPLE_EACH_END) this.tail.shift();
  }

  get count(): number {
    return this.seen;
  }

  /** The kept row indexes in order, and how many rows between them were left out. */
  rows(): { rows: number[]; omitted: number } {
    const rows = [...this.head, ...this.tail];
    return { rows, omitted: this.seen - rows.length };
  }
}
