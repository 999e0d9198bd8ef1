import { z } from "zod";

/** Where to connect: flags first, then NEO4J_URI / NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE (DESIGN §7). */
export const neo4jOptionsSchema = z.object({
  uri: z.string().min(1).default("bolt://localhost:7687"),
  user: z.string().optional(),
  password: z.string().optional(),
  database: z.string().min(1).optional(),
});
export type Neo4jOptions = z.infer<typeof neo4jOptionsSchema>;

/** The connection options from flags, each falling back to its environment variable. */
export function neo4jOptionsFrom(
  flags: { uri?: unknown; user?: unknown; password?: unknown; database?: unknown },
  env: NodeJS.ProcessEnv,
): Neo4jOptions {
  return neo4jOptionsSchema.parse({
    uri: flags.uri ?? env.NEO4J_URI,
    user: flags.user ?? env.NEO4J_USER,
    password: flags.password ?? env.NEO4J_PASSWORD,
    database: flags.database ?? env.NEO4J_DATABASE,
  });
}
