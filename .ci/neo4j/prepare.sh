#!/usr/bin/env bash
# Resolves the embedded Neo4j runtime classpath into .ci/neo4j/.classpath (Maven's ~/.m2 caches the jars).
# Idempotent: a cached classpath is reused while it is newer than pom.xml and every jar on it still exists.
# Exit codes: 0 ready, 3 java or mvn missing or unusable (the test setup skips or fails on that), 1 otherwise.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=require-tools.sh
source "$here/require-tools.sh"
classpath_file="$here/.classpath"

require_java
require_mvn

cache_is_fresh() {
  [[ -s "$classpath_file" && "$classpath_file" -nt "$here/pom.xml" ]] || return 1
  local entry entries
  IFS=: read -r -a entries <"$classpath_file"
  for entry in "${entries[@]}"; do
    [[ -f "$entry" ]] || return 1
  done
}

if cache_is_fresh; then
  exit 0
fi

echo "neo4j/prepare: resolving the Neo4j classpath with Maven (first run downloads ~130 MB of jars into ~/.m2)" >&2
# Written outside the repository so an interrupted run leaves no untracked file behind.
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
if ! mvn -q -B -f "$here/pom.xml" \
  org.apache.maven.plugins:maven-dependency-plugin:3.6.1:build-classpath \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$tmp" >&2; then
  echo "neo4j/prepare: FAILED: Maven could not resolve the Neo4j dependencies (see its output above)" >&2
  exit 1
fi
if [[ ! -s "$tmp" ]]; then
  echo "neo4j/prepare: FAILED: Maven wrote an empty classpath" >&2
  exit 1
fi
chmod 644 "$tmp"
mv "$tmp" "$classpath_file"
trap - EXIT
echo "neo4j/prepare: classpath ready ($(tr ':' '\n' <"$classpath_file" | wc -l) jars)" >&2
