/** Keeps the last lines a child process printed, to explain a failure without flooding the test log. */
export class OutputTail {
  readonly #lines: string[] = [];

  constructor(private readonly limit = 40) {}

  push(line: string): void {
    this.#lines.push(line);
    if (this.#lines.length > this.limit) this.#lines.shift();
  }

  toString(): string {
    return this.#lines.length === 0 ? "(no output)" : this.#lines.join("\n");
  }
}
