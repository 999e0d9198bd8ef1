/**
 * Typed errors. Every error keytrail raises on purpose is a KeytrailError with a machine-readable `code`,
 * a message that starts with where it came from, and an optional hint telling the user what to do.
 * `src/cli/handle-error.ts` is the only place that turns them into text and exit codes.
 */
export const ErrorCode = {
  usage: "usage",
  input: "input",
  notFound: "not-found",
  caseFile: "case-file",
  neo4jConnection: "neo4j-connection",
  neo4jAuth: "neo4j-auth",
  internal: "internal",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface KeytrailErrorOptions {
  hint?: string;
  cause?: unknown;
  context?: Record<string, unknown>;
}

export class KeytrailError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly context: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: KeytrailErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "KeytrailError";
    this.code = code;
    this.hint = options.hint;
    this.context = options.context ?? {};
  }
}

/** Wrong arguments or options: exit 1. */
export class UsageError extends KeytrailError {
  constructor(message: string, options: KeytrailErrorOptions = {}) {
    super(ErrorCode.usage, message, options);
    this.name = "UsageError";
  }
}

/** Bad input under --strict, or an input that cannot be read at all: exit 1. */
export class InputError extends KeytrailError {
  constructor(message: string, options: KeytrailErrorOptions = {}) {
    super(ErrorCode.input, message, options);
    this.name = "InputError";
  }
}

/** A key, principal or query named by the user does not exist: exit 1. */
export class NotFoundError extends KeytrailError {
  constructor(message: string, options: KeytrailErrorOptions = {}) {
    super(ErrorCode.notFound, message, options);
    this.name = "NotFoundError";
  }
}

/** A case file that is missing, corrupt or of an unsupported version: exit 1. */
export class CaseFileError extends KeytrailError {
  constructor(message: string, options: KeytrailErrorOptions = {}) {
    super(ErrorCode.caseFile, message, options);
    this.name = "CaseFileError";
  }
}

/** Neo4j is unreachable, refuses the credentials or has no such database: exit 1. */
export class Neo4jConnectionError extends KeytrailError {
  constructor(
    code: typeof ErrorCode.neo4jConnection | typeof ErrorCode.neo4jAuth,
    message: string,
    options: KeytrailErrorOptions = {},
  ) {
    super(code, message, options);
    this.name = "Neo4jConnectionError";
  }
}
