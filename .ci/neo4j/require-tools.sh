# shellcheck shell=bash
# Sourced by prepare.sh and start.sh: checks the tools the embedded Neo4j needs, exiting 3 when one is missing
# so callers can tell "not installed here" from a real failure.

# Neo4j 5.26 runs on Java 17 or 21 only; a newer default JDK would fail at startup with obscure errors.
require_java() {
  if ! command -v java >/dev/null 2>&1; then
    echo "neo4j: MISSING TOOL: 'java' (OpenJDK 17) is not on PATH; install it (Debian: openjdk-17-jdk-headless)" >&2
    exit 3
  fi
  local version
  version="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p')"
  if [[ "$version" != "17" && "$version" != "21" ]]; then
    echo "neo4j: UNUSABLE TOOL: 'java' on PATH is Java ${version:-unknown}; Neo4j 5.26 needs Java 17 or 21" >&2
    exit 3
  fi
}

require_mvn() {
  if ! command -v mvn >/dev/null 2>&1; then
    echo "neo4j: MISSING TOOL: 'mvn' (Maven 3.8+) is not on PATH; install it (Debian: maven)" >&2
    exit 3
  fi
}
