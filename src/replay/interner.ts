/** Interned strings: few distinct values, a small code each (-1 for null). */
export class Interner {
  private readonly codes = new Map<string, number>();
  private readonly values: string[] = [];

  code(value: string | null): number {
    if (value === null) return -1;
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.values.push(value) - 1;
      this.codes.set(value, code);
    }
    return code;
  }

  value(code: number): string | null {
    return code < 0 ? null : (this.values[code] ?? null);
  }

  /** The values by code, to send along with codes and read them back elsewhere. */
  table(): string[] {
    return this.values;
  }
}
