/**
 * The callers a trail shows, one variant per CloudTrail `userIdentity.type` the generator writes. Shapes follow
 * AWS's documented KMS examples and fixtures/scenarios: an assumed role carries its session issuer, a service
 * acting alone is `AWSService` with `invokedBy`, and KMS's own service events carry only accountId + invokedBy.
 */
export type Caller =
  | {
      type: "IAMUser";
      account: string;
      name: string;
      principalId: string;
      accessKeyId: string;
      ip: string;
      agent: string;
    }
  | {
      type: "AssumedRole";
      account: string;
      role: string;
      path: string;
      roleId: string;
      session: string;
      accessKeyId: string;
      ip: string;
      agent: string;
      invokedBy: string | null;
    }
  | { type: "AWSService"; service: string }
  | { type: "Root"; account: string; accessKeyId: string; ip: string; agent: string }
  | {
      type: "FederatedUser";
      account: string;
      name: string;
      broker: string;
      brokerId: string;
      accessKeyId: string;
      ip: string;
      agent: string;
    }
  | { type: "KmsInternal"; account: string };

export function roleArn(caller: Extract<Caller, { type: "AssumedRole" }>): string {
  return `arn:aws:iam::${caller.account}:role/${caller.path}${caller.role}`;
}

/** The ARN a policy or grant names for this caller (the role for a session), or null for a service. */
export function callerArn(caller: Caller): string | null {
  switch (caller.type) {
    case "IAMUser":
      return `arn:aws:iam::${caller.account}:user/${caller.name}`;
    case "AssumedRole":
      return `arn:aws:sts::${caller.account}:assumed-role/${caller.role}/${caller.session}`;
    case "Root":
      return `arn:aws:iam::${caller.account}:root`;
    case "FederatedUser":
      return `arn:aws:sts::${caller.account}:federated-user/${caller.name}`;
    default:
      return null;
  }
}

function sessionAttributes(time: number): { creationDate: string; mfaAuthenticated: string } {
  // Sessions start on the hour before the call, so creationDate never follows eventTime.
  return { creationDate: isoSeconds(time - (time % 3_600_000)), mfaAuthenticated: "false" };
}

/**
 * The `userIdentity` object. `withAccessKey` is false for the key owner's copy of a cross-account call:
 * CloudTrail gives the access key only to the caller's account.
 */
export function userIdentityOf(caller: Caller, time: number, withAccessKey = true): Record<string, unknown> {
  const key = (id: string) => (withAccessKey ? { accessKeyId: id } : {});
  switch (caller.type) {
    case "IAMUser":
      return {
        type: "IAMUser",
        principalId: caller.principalId,
        arn: callerArn(caller),
        accountId: caller.account,
        ...key(caller.accessKeyId),
        userName: caller.name,
      };
    case "AssumedRole":
      return {
        type: "AssumedRole",
        principalId: `${caller.roleId}:${caller.session}`,
        arn: callerArn(caller),
        accountId: caller.account,
        ...key(caller.accessKeyId),
        sessionContext: {
          sessionIssuer: {
            type: "Role",
            principalId: caller.roleId,
            arn: roleArn(caller),
            accountId: caller.account,
            userName: caller.role,
          },
          webIdFederationData: {},
          attributes: sessionAttributes(time),
        },
        ...(caller.invokedBy ? { invokedBy: caller.invokedBy } : {}),
      };
    case "AWSService":
      return { type: "AWSService", invokedBy: caller.service };
    case "Root":
      return {
        type: "Root",
        principalId: caller.account,
        arn: callerArn(caller),
        accountId: caller.account,
        ...key(caller.accessKeyId),
      };
    case "FederatedUser":
      return {
        type: "FederatedUser",
        principalId: `${caller.account}:${caller.name}`,
        arn: callerArn(caller),
        accountId: caller.account,
        ...key(caller.accessKeyId),
        sessionContext: {
          sessionIssuer: {
            type: "IAMUser",
            principalId: caller.brokerId,
            arn: `arn:aws:iam::${caller.account}:user/${caller.broker}`,
            accountId: caller.account,
            userName: caller.broker,
          },
          webIdFederationData: {},
          attributes: sessionAttributes(time),
        },
      };
    case "KmsInternal":
      return { accountId: caller.account, invokedBy: "AWS Internal" };
  }
}

export function sourceIpOf(caller: Caller): string {
  if (caller.type === "AWSService") return caller.service;
  if (caller.type === "KmsInternal") return "AWS Internal";
  if (caller.type === "AssumedRole" && caller.invokedBy) return caller.invokedBy;
  return caller.ip;
}

export function userAgentOf(caller: Caller): string {
  switch (caller.type) {
    case "AWSService":
      return caller.service;
    case "KmsInternal":
      return "AWS Internal";
    case "AssumedRole":
      return caller.invokedBy ?? caller.agent;
    default:
      return caller.agent;
  }
}

let cachedDay = Number.NaN;
let cachedPrefix = "";

function two(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/** CloudTrail's eventTime form: ISO 8601 to the second, UTC. The date part is cached: it is called per record. */
export function isoSeconds(time: number): string {
  const day = Math.floor(time / 86_400_000);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedPrefix = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  const seconds = Math.floor((time - day * 86_400_000) / 1000);
  return `${cachedPrefix}${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}Z`;
}
