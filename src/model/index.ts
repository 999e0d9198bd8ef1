export type { CaseGraph, EdgeAttributes, NodeAttributes } from "./build-graph.js";
export { buildGraph, nodeKey } from "./build-graph.js";
export type { CaseData, ReplayStats } from "./case-data.js";
export type { CaseFile, CaseHeader } from "./case-file.js";
export { CASE_FORMAT, CASE_VERSION, readCaseFile, writeCaseFile } from "./case-file.js";
export type { StateAt } from "./case-model.js";
export { CaseModel, customKeyStoreLabel, storeSlot } from "./case-model.js";
export type { GapFact, GraphRows, RelationshipRow } from "./graph-rows.js";
export { graphRows } from "./graph-rows.js";
export { allAt, closeLast, holdsAt, intervalAt, transition } from "./interval.js";
export type {
  GraphSchema,
  NodeLabel,
  NodeProperties,
  NodeSpec,
  PropertySpec,
  PropertyType,
  PropertyValue,
  RelationshipName,
  RelationshipProperties,
  RelationshipSpec,
  RelationshipType,
} from "./schema.js";
export { graphSchema, keyProperty, NODE_LABELS, RELATIONSHIP_NAMES, USAGE_BUCKET_MS } from "./schema.js";
export { countAtOrBefore } from "./sorted-search.js";
export type {
  AliasInterval,
  Confidence,
  CoverageSpan,
  CustomKeyStoreRecord,
  GrantCloseReason,
  GrantRecord,
  Interval,
  KeyMaterial,
  KeyRecord,
  KeyState,
  ManagementEvent,
  MultiRegionRole,
  PolicyVersion,
  PrincipalRecord,
  Rotation,
  RotationInstant,
  StoreConnection,
} from "./types.js";
export type { KeyColumn, UsageColumn, UsageRow, UsageStoreData } from "./usage-store.js";
export { KEY_COLUMNS, keyColumnOf, NONE, UsageStore } from "./usage-store.js";
