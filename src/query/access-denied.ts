const DENIED = /AccessDenied|Unauthorized|NotAuthorized/i;

/**
 * Whether a call failed because it was not authorized, as opposed to, say, an invalid key state or a bad
 * request: usage's `accessDenied` and the findings' `denied` counts both use it.
 */
export function isDenied(errorCode: string | null): boolean {
  return errorCode !== null && DENIED.test(errorCode);
}
