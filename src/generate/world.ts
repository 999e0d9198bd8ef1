import type { Caller } from "./identities.js";
import type { Prng } from "./prng.js";

export const REGIONS = [
  "us-east-1",
  "eu-west-1",
  "us-west-2",
  "ap-southeast-2",
  "eu-central-1",
  "ap-northeast-1",
  "sa-east-1",
  "ca-central-1",
] as const;

// AWS's documentation placeholders first (as in fixtures/), then made-up twelve-digit ids.
const KNOWN_ACCOUNTS = ["111122223333", "444455556666", "999988887777"];

const APP_ROLES = [
  "OrdersApp",
  "ReportWorker",
  "BillingService",
  "IngestLambda",
  "DataPipeline",
  "WebFrontend",
];
const PEOPLE = ["alice", "bob", "carol"];

const CLI_AGENT = "aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-1016-aws exe/x86_64.ubuntu.22 prompt/off";
const SDK_AGENT =
  "aws-sdk-java/2.25.10 Linux/5.10.213-201.855.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/standard";
const CONSOLE_AGENT = "AWS Internal";

type RoleCaller = Extract<Caller, { type: "AssumedRole" }>;
type UserCaller = Extract<Caller, { type: "IAMUser" }>;

/** The people, roles and services of one account. */
export interface AccountWorld {
  id: string;
  admin: UserCaller;
  people: UserCaller[];
  adminRole: RoleCaller;
  appRoles: RoleCaller[];
  /** The role another account's keys are shared with; it calls across accounts. */
  partnerRole: RoleCaller;
  /** EC2/EBS acting for an app role (invokedBy ec2.amazonaws.com), as in the grants scenario. */
  ebsRole: RoleCaller;
  autoscalingRole: RoleCaller;
  root: Extract<Caller, { type: "Root" }>;
  federated: Extract<Caller, { type: "FederatedUser" }>;
}

export interface World {
  accounts: AccountWorld[];
  regions: string[];
}

export function accountId(index: number, prng: Prng): string {
  return KNOWN_ACCOUNTS[index] ?? String(100_000_000_000 + prng.int(899_999_999_999));
}

function ip(prng: Prng): string {
  // RFC 5737 documentation ranges, like the fixtures.
  return `${prng.pick(["192.0.2", "198.51.100", "203.0.113"])}.${prng.between(1, 254)}`;
}

function user(account: string, name: string, agent: string, prng: Prng): UserCaller {
  return {
    type: "IAMUser",
    account,
    name,
    principalId: `AIDA${prng.upperAlnum(17)}`,
    accessKeyId: `AKIA${prng.upperAlnum(16)}`,
    ip: ip(prng),
    agent,
  };
}

function role(
  account: string,
  name: string,
  session: string,
  prng: Prng,
  extra: { path?: string; invokedBy?: string } = {},
): RoleCaller {
  return {
    type: "AssumedRole",
    account,
    role: name,
    path: extra.path ?? "",
    roleId: `AROA${prng.upperAlnum(17)}`,
    session,
    accessKeyId: `ASIA${prng.upperAlnum(16)}`,
    ip: ip(prng),
    agent: SDK_AGENT,
    invokedBy: extra.invokedBy ?? null,
  };
}

function accountWorld(id: string, prng: Prng): AccountWorld {
  return {
    id,
    admin: user(id, "kms-admin", CLI_AGENT, prng),
    people: PEOPLE.map((name) => user(id, name, prng.pick([CLI_AGENT, CONSOLE_AGENT]), prng)),
    adminRole: role(id, "Admin", "admin-console", prng),
    appRoles: APP_ROLES.map((name) => role(id, name, `i-0${prng.hex(16)}`, prng)),
    partnerRole: role(id, "PartnerApp", "settlement-sync", prng),
    ebsRole: role(id, "EbsWorker", `i-0${prng.hex(16)}`, prng, { invokedBy: "ec2.amazonaws.com" }),
    autoscalingRole: role(id, "AWSServiceRoleForAutoScaling", "AutoScaling", prng, {
      path: "aws-service-role/autoscaling.amazonaws.com/",
      invokedBy: "autoscaling.amazonaws.com",
    }),
    root: {
      type: "Root",
      account: id,
      accessKeyId: `ASIA${prng.upperAlnum(16)}`,
      ip: ip(prng),
      agent: CONSOLE_AGENT,
    },
    federated: {
      type: "FederatedUser",
      account: id,
      name: "dana",
      broker: "sso-broker",
      brokerId: `AIDA${prng.upperAlnum(17)}`,
      accessKeyId: `ASIA${prng.upperAlnum(16)}`,
      ip: ip(prng),
      agent: CONSOLE_AGENT,
    },
  };
}

export function buildWorld(accounts: number, regions: number, prng: Prng): World {
  return {
    accounts: Array.from({ length: accounts }, (_, index) => accountWorld(accountId(index, prng), prng)),
    regions: REGIONS.slice(0, regions),
  };
}

/** The CLI agent with the command a person ran, as CloudTrail logs the AWS CLI. */
export function withCommand(agent: string, command: string): string {
  return agent === CLI_AGENT ? `${agent} command/${command}` : agent;
}
