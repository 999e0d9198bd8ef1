// The part of the WebAssembly JS API the record scanner uses. Node has the global, but @types/node 20 does
// not declare it and TypeScript's own declarations come with the DOM's.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
