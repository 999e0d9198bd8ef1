import { BlockList, isIP } from "node:net";

type Family = "ipv4" | "ipv6";

const familyOf = (address: string): Family | null => {
  const version = isIP(address);
  return version === 4 ? "ipv4" : version === 6 ? "ipv6" : null;
};

// A policy has a handful of CIDRs, compared once per call attributed: build each block list once (bounded).
const blocks = new Map<string, { list: BlockList; family: Family } | null>();
const BLOCKS_LIMIT = 10_000;

/** `10.0.0.0/8`, `2001:db8::/32` or a bare address (a /32 or /128), as IAM's IpAddress accepts them. */
function blockOf(cidr: string): { list: BlockList; family: Family } | null {
  if (blocks.has(cidr)) return blocks.get(cidr) ?? null;
  if (blocks.size >= BLOCKS_LIMIT) blocks.clear();
  const [address = "", prefixText, ...rest] = cidr.trim().split("/");
  const family = familyOf(address);
  const max = family === "ipv4" ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  const valid =
    family !== null && rest.length === 0 && Number.isInteger(prefix) && prefix >= 0 && prefix <= max;
  let block: { list: BlockList; family: Family } | null = null;
  if (valid) {
    const list = new BlockList();
    list.addSubnet(address, prefix, family);
    block = { list, family };
  }
  blocks.set(cidr, block);
  return block;
}

/** Whether an address lies in a CIDR (IAM's IpAddress); false for anything that is not an address or CIDR. */
export function ipInCidr(cidr: string, address: string): boolean {
  const block = blockOf(cidr);
  const family = familyOf(address.trim());
  return block !== null && family === block.family && block.list.check(address.trim(), family);
}

/** Private, loopback, link-local, shared (CGNAT) and unique-local ranges: not seen by a public endpoint. */
const NOT_PUBLIC = [
  "10.0.0.0/8",
  "172.16.0.0/12",
  "192.168.0.0/16",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "100.64.0.0/10",
  "0.0.0.0/8",
  "::1/128",
  "fc00::/7",
  "fe80::/10",
  "::/128",
];

/** NOT_PUBLIC as one block list: one check per address instead of one per range. */
const notPublic = new BlockList();
for (const cidr of NOT_PUBLIC) {
  const [address = "", prefix = ""] = cidr.split("/");
  const family = familyOf(address);
  if (family !== null) notPublic.addSubnet(address, Number(prefix), family);
}

/** A literal IP address outside the ranges a request to a public AWS endpoint cannot come from. */
export function isPublicIp(address: string): boolean {
  const trimmed = address.trim();
  const family = familyOf(trimmed);
  return family !== null && !notPublic.check(trimmed, family);
}
