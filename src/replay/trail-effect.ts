import type { KmsEvent, NormalizedEvent } from "../events/index.js";

/** What coverage needs to know of a CloudTrail control call: which trail, and what it now logs. */
export function trailDetails(event: Exclude<NormalizedEvent, KmsEvent>): Record<string, unknown> {
  if (event.source === "sts") return { roleArn: event.roleArn };
  const details: Record<string, unknown> = { trailName: event.trail.name, trailArn: event.trail.arn };
  if (event.name === "PutEventSelectors") details.kmsManagementLogged = event.kmsManagementLogged;
  if (event.name === "CreateTrail" || event.name === "UpdateTrail") {
    details.isMultiRegion = event.isMultiRegion;
    details.isOrganizationTrail = event.isOrganizationTrail;
  }
  return details;
}

export function trailSummary(event: Exclude<NormalizedEvent, KmsEvent>): string {
  if (event.source === "sts") return `assumed ${event.roleArn ?? "?"}`;
  // A record may not name its trail (redacted samples): said as gaps and findings say it.
  const trail = `trail ${event.trail.name || "(unnamed)"}`;
  if (event.name === "PutEventSelectors") {
    const logged = event.kmsManagementLogged;
    return `${trail}: KMS management events ${logged === null ? "unknown" : logged ? "logged" : "EXCLUDED"}`;
  }
  return `${trail}: ${event.name}`;
}
