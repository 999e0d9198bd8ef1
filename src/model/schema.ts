/**
 * The graph schema, declared once (DESIGN §6, STYLE pattern 8). The graphology attribute types, the rows
 * `graphRows` builds, the Neo4j constraints and MERGE statements, the Cypher export and docs/schema.md are all
 * derived from this object; nothing else names a label's properties.
 *
 * Value conventions: `datetime` values are ISO 8601 UTC strings (Neo4j stores them as zoned datetimes),
 * `json` values are JSON text (policy documents, conditions, constraints: nested maps Neo4j cannot store).
 */

export type PropertyType = "string" | "integer" | "boolean" | "datetime" | "json" | "string[]";

export interface PropertySpec {
  readonly type: PropertyType;
  readonly description: string;
  readonly nullable?: boolean;
  /** An identity: a uniqueness constraint and the MERGE key (exactly one per label; `id` on relationships) */
  readonly unique?: boolean;
  /** A range index, for properties questions look nodes up by */
  readonly indexed?: boolean;
}

export interface NodeSpec {
  readonly description: string;
  readonly properties: Readonly<Record<string, PropertySpec>>;
}

export interface RelationshipSpec {
  /** The Neo4j relationship type; several declarations may share one type between different labels */
  readonly type: string;
  readonly description: string;
  readonly from: string;
  readonly to: string;
  /**
   * Properties that tell parallel relationships between the same two nodes apart (intervals, buckets): they go
   * into the MERGE pattern, so a second load matches instead of adding. Where there are parallel relationships
   * the identity is one unique `id` (start, end and what tells them apart): MERGE then seeks the relationship
   * uniqueness index instead of scanning every relationship between the two nodes.
   */
  readonly identity: readonly string[];
  readonly properties: Readonly<Record<string, PropertySpec>>;
}

const relationshipId = (parts: string) =>
  ({ type: "string", unique: true, description: `identity: ${parts}` }) as const;

const interval = {
  from: { type: "datetime", description: "start of the half-open interval [from, to)" },
  to: {
    type: "datetime",
    nullable: true,
    description: "end of the interval; null: holds to the end of the trail",
  },
  confidence: { type: "string", description: "recorded, inferred or unknown (docs/replay.md)" },
  openedBy: { type: "string[]", description: "eventIds of the records that opened the interval" },
  closedBy: { type: "string[]", description: "eventIds of the records that closed it" },
} as const satisfies Record<string, PropertySpec>;

const statement = {
  id: relationshipId("<policy version id>|<statement>|<principal>"),
  statement: { type: "integer", description: "0-based position of the statement in the policy" },
  sid: { type: "string", nullable: true, description: "the statement's Sid, when it has one" },
  actions: {
    type: "string[]",
    description: "concrete KMS actions the statement covers (wildcards and NotAction expanded)",
  },
  conditions: { type: "json", nullable: true, description: "the Condition element as written, JSON text" },
  conditional: { type: "boolean", description: "whether the statement has a Condition" },
  except: {
    type: "string[]",
    description: "for NotPrincipal statements (edge to `*`): the principals excluded",
  },
} as const satisfies Record<string, PropertySpec>;

const creation = {
  at: { type: "datetime", description: "when it was created" },
  eventId: { type: "string", description: "the creating record" },
} as const satisfies Record<string, PropertySpec>;

export const graphSchema = {
  nodes: {
    Key: {
      description: "A KMS key in one Region (a multi-Region replica is a key of its own)",
      properties: {
        arn: { type: "string", unique: true, description: "key ARN" },
        keyId: { type: "string", indexed: true, description: "key id (UUID or mrk-…)" },
        account: { type: "string", indexed: true, description: "owning account" },
        region: { type: "string", description: "Region" },
        multiRegion: { type: "boolean", description: "whether it is a multi-Region key" },
        origin: { type: "string", nullable: true, description: "AWS_KMS, EXTERNAL, AWS_CLOUDHSM, …" },
        keySpec: { type: "string", nullable: true, description: "key spec, e.g. SYMMETRIC_DEFAULT" },
        keyUsage: { type: "string", nullable: true, description: "ENCRYPT_DECRYPT, SIGN_VERIFY, …" },
        createdAt: {
          type: "datetime",
          nullable: true,
          description: "CreateKey/ReplicateKey time, if logged",
        },
        createdBy: { type: "string", nullable: true, description: "normalized principal that created it" },
        firstSeen: { type: "datetime", description: "first time any record named the key" },
      },
    },
    KeyState: {
      description: "A key state name (KMS KeyState plus Unknown, Deleted): target of IN_STATE intervals",
      properties: {
        name: { type: "string", unique: true, description: "Enabled, Disabled, PendingDeletion, …" },
      },
    },
    Alias: {
      description: "An alias name in one account and Region",
      properties: {
        arn: {
          type: "string",
          unique: true,
          description: "alias ARN arn:aws:kms:<region>:<account>:alias/<name>",
        },
        name: { type: "string", indexed: true, description: "alias/<name>" },
        account: { type: "string", description: "account" },
        region: { type: "string", description: "Region" },
      },
    },
    Grant: {
      description: "A grant on a key, active on [from, to)",
      properties: {
        grantId: { type: "string", unique: true, description: "grant id from CreateGrant's response" },
        name: { type: "string", nullable: true, description: "grant name" },
        operations: {
          type: "string[]",
          description: "operations the grant allows ([] when the CreateGrant record did not log them)",
        },
        operationsKnown: {
          type: "boolean",
          description:
            "false when the CreateGrant record did not log the operations: the grant may allow any grant operation",
        },
        constraints: {
          type: "json",
          nullable: true,
          description: "encryption context constraints, JSON text",
        },
        creator: { type: "string", description: "normalized principal that created it" },
        createdByService: {
          type: "string",
          nullable: true,
          description: "AWS service that created it (invokedBy)",
        },
        closeReason: { type: "string", nullable: true, description: "retired, revoked or key-deleted" },
        ...interval,
      },
    },
    Principal: {
      description: "A normalized principal: role, user, account, service, `*` or an unresolved unique id",
      properties: {
        id: {
          type: "string",
          unique: true,
          description: "role/user ARN (path removed), account id, service, *",
        },
        kind: {
          type: "string",
          indexed: true,
          description: "account, role, user, federated, service, any, …",
        },
        account: { type: "string", nullable: true, description: "the account it lives in, when known" },
        sessionNames: { type: "string[]", description: "session names seen for an assumed role" },
        principalIds: { type: "string[]", description: "unique ids (AROA…, AIDA…) linked to it" },
      },
    },
    Account: {
      description: "An AWS account that owns keys or principals",
      properties: { id: { type: "string", unique: true, description: "12-digit account id" } },
    },
    PolicyVersion: {
      description: "One version of a key's policy: 1 for CreateKey's (or the default), +1 per PutKeyPolicy",
      properties: {
        id: { type: "string", unique: true, description: "<key ARN>#v<version>" },
        keyArn: { type: "string", indexed: true, description: "the key" },
        version: { type: "integer", description: "version number" },
        document: { type: "json", description: "the policy document as logged (or the default), JSON text" },
        parseProblem: {
          type: "string",
          nullable: true,
          description: "why the document does not parse (then it has no ALLOWS/DENIES edges)",
        },
        ...interval,
      },
    },
    Event: {
      description: "A management event (state changes, failed management calls, CloudTrail control calls)",
      properties: {
        eventId: { type: "string", unique: true, description: "CloudTrail eventID" },
        alsoEventIds: { type: "string[]", description: "eventIds of the same action's cross-account copy" },
        name: { type: "string", indexed: true, description: "eventName" },
        time: { type: "datetime", indexed: true, description: "eventTime" },
        account: { type: "string", description: "recipient account" },
        region: { type: "string", description: "Region" },
        actor: { type: "string", description: "normalized principal that made the call" },
        sessionName: { type: "string", nullable: true, description: "assumed-role session name" },
        invokedBy: { type: "string", nullable: true, description: "AWS service that made the call" },
        sourceIp: { type: "string", nullable: true, description: "sourceIPAddress" },
        errorCode: { type: "string", nullable: true, description: "errorCode of a failed call" },
        summary: { type: "string", description: "what changed, in words" },
        details: { type: "json", description: "event-specific details (grantId, alias, …), JSON text" },
      },
    },
    Gap: {
      description: "A coverage gap: a window the trail may not show (docs/cli.md, gaps)",
      properties: {
        id: { type: "string", unique: true, description: "<account>/<region>/<reason>/<from>[/<key ARN>]" },
        account: { type: "string", indexed: true, description: "account" },
        region: { type: "string", description: "Region" },
        from: { type: "datetime", description: "start of the window" },
        to: {
          type: "datetime",
          nullable: true,
          description: "end of the window; null: to the end of the trail",
        },
        reason: { type: "string", description: "logging-stopped, trail-deleted, kms-excluded, silence, …" },
        detail: { type: "string", description: "the gap in words" },
        confidence: { type: "string", description: "recorded or inferred" },
        keyArn: { type: "string", nullable: true, description: "for unknown-key-state: the key" },
        eventIds: { type: "string[]", description: "records that opened and closed the window" },
      },
    },
  },
  relationships: {
    aliasOf: {
      type: "ALIAS_OF",
      description: "the alias pointed to the key on [from, to)",
      from: "Alias",
      to: "Key",
      identity: ["id"],
      properties: { id: relationshipId("<alias ARN>|<key ARN>|<from>"), ...interval },
    },
    inState: {
      type: "IN_STATE",
      description: "the key was in this state on [from, to)",
      from: "Key",
      to: "KeyState",
      identity: ["id"],
      properties: { id: relationshipId("<key ARN>|<state>|<from>"), ...interval },
    },
    policyOf: {
      type: "POLICY_OF",
      description: "the policy version was in force on the key on [from, to)",
      from: "PolicyVersion",
      to: "Key",
      identity: [],
      properties: {
        from: interval.from,
        to: interval.to,
      },
    },
    allows: {
      type: "ALLOWS",
      description: "an Allow statement of the policy version names the principal",
      from: "PolicyVersion",
      to: "Principal",
      identity: ["id"],
      properties: statement,
    },
    denies: {
      type: "DENIES",
      description: "a Deny statement of the policy version names the principal",
      from: "PolicyVersion",
      to: "Principal",
      identity: ["id"],
      properties: statement,
    },
    grantOn: {
      type: "GRANT_ON",
      description: "the grant is on the key",
      from: "Grant",
      to: "Key",
      identity: [],
      properties: {},
    },
    grantedTo: {
      type: "GRANTED_TO",
      description: "the grant's grantee principal",
      from: "Grant",
      to: "Principal",
      identity: [],
      properties: {},
    },
    retirableBy: {
      type: "RETIRABLE_BY",
      description: "the grant's retiring principal",
      from: "Grant",
      to: "Principal",
      identity: [],
      properties: {},
    },
    createdKey: {
      type: "CREATED",
      description: "the principal created the key (CreateKey/ReplicateKey)",
      from: "Principal",
      to: "Key",
      identity: [],
      properties: creation,
    },
    createdGrant: {
      type: "CREATED",
      description: "the principal created the grant (CreateGrant)",
      from: "Principal",
      to: "Grant",
      identity: [],
      properties: creation,
    },
    used: {
      type: "USED",
      description: "calls of one operation by the principal on the key within one UTC hour (usage store)",
      from: "Principal",
      to: "Key",
      identity: ["id"],
      properties: {
        id: relationshipId("<principal>|<key ARN>|<operation>|<role>|<bucket>"),
        operation: { type: "string", description: "the API operation (ReEncrypt counts on both keys)" },
        role: { type: "string", description: "key, or destination for ReEncrypt's destination key" },
        bucket: { type: "datetime", description: "start of the UTC hour the calls fall in" },
        first: { type: "datetime", description: "first call in the bucket" },
        last: { type: "datetime", description: "last call in the bucket" },
        count: { type: "integer", description: "successful calls" },
        denied: { type: "integer", description: "failed calls (denied, or refused for the key's state)" },
        keyFromAlias: {
          type: "integer",
          description:
            "calls (of both) whose record named an alias and no key: the key is the one the alias history gives (inferred)",
        },
        deniedKeyFromAlias: { type: "integer", description: "the failed calls among keyFromAlias" },
      },
    },
    performed: {
      type: "PERFORMED",
      description: "the principal made the management call",
      from: "Principal",
      to: "Event",
      identity: [],
      properties: {},
    },
    on: {
      type: "ON",
      description: "the management event touched the key",
      from: "Event",
      to: "Key",
      identity: [],
      properties: {},
    },
    keyInAccount: {
      type: "IN_ACCOUNT",
      description: "the key belongs to the account",
      from: "Key",
      to: "Account",
      identity: [],
      properties: {},
    },
    principalInAccount: {
      type: "IN_ACCOUNT",
      description: "the principal lives in the account",
      from: "Principal",
      to: "Account",
      identity: [],
      properties: {},
    },
    gapOn: {
      type: "AFFECTS",
      description: "an unknown-key-state gap is about this key",
      from: "Gap",
      to: "Key",
      identity: [],
      properties: {},
    },
  },
} as const satisfies {
  nodes: Record<string, NodeSpec>;
  relationships: Record<string, RelationshipSpec>;
};

export type GraphSchema = typeof graphSchema;
export type NodeLabel = keyof GraphSchema["nodes"];
export type RelationshipName = keyof GraphSchema["relationships"];
export type RelationshipType = GraphSchema["relationships"][RelationshipName]["type"];

type Base<P extends PropertySpec> = P["type"] extends "integer"
  ? number
  : P["type"] extends "boolean"
    ? boolean
    : P["type"] extends "string[]"
      ? string[]
      : string;

/** The TypeScript value of one declared property. */
export type PropertyValue<P extends PropertySpec> = P extends { nullable: true } ? Base<P> | null : Base<P>;

type PropertiesOf<S extends Readonly<Record<string, PropertySpec>>> = {
  -readonly [K in keyof S]: PropertyValue<S[K]>;
};

export type NodeProperties<L extends NodeLabel> = PropertiesOf<GraphSchema["nodes"][L]["properties"]>;
export type RelationshipProperties<R extends RelationshipName> = PropertiesOf<
  GraphSchema["relationships"][R]["properties"]
>;

/** The unique property of a label (its MERGE key). */
export function keyProperty(label: NodeLabel): string {
  const spec: NodeSpec = graphSchema.nodes[label];
  const unique = Object.entries(spec.properties).filter(([, property]) => property.unique);
  if (unique.length !== 1 || !unique[0])
    throw new Error(`schema: ${label} must have exactly one unique property`);
  return unique[0][0];
}

export const NODE_LABELS = Object.keys(graphSchema.nodes) as NodeLabel[];
export const RELATIONSHIP_NAMES = Object.keys(graphSchema.relationships) as RelationshipName[];

/** One hour: USED relationships aggregate the usage store per principal, key, operation and UTC hour. */
export const USAGE_BUCKET_MS = 3_600_000;
