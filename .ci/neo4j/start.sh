#!/usr/bin/env bash
# Runs the embedded Neo4j in the foreground: start.sh <dataDir> <port>.
# Prints "NEO4J READY bolt://127.0.0.1:<port>" on stdout when it accepts Bolt; stops on SIGTERM or stdin EOF.
# Needs prepare.sh to have resolved the classpath. Exit code 3: java missing or unusable.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=require-tools.sh
source "$here/require-tools.sh"

if [[ $# -ne 2 ]]; then
  echo "usage: $0 <dataDir> <port>" >&2
  exit 64
fi
require_java
if [[ ! -s "$here/.classpath" ]]; then
  echo "neo4j/start: no classpath yet: run .ci/neo4j/prepare.sh first" >&2
  exit 1
fi

# The --add-opens and Netty flags are the ones Neo4j's own start scripts pass; without them Netty and the
# page cache fall back to slower paths or fail on Java 17. The tuning flags come from KEYTRAIL_NEO4J_JAVA_OPTS
# (split on whitespace) when it is set; the default suits a short-lived test server on a 2-core machine: C1
# only (ready and first queries about twice as fast; the C2 warm-up never pays off in a test run), the serial
# collector (about 100 MB less RSS than G1) and a 1 GB heap. A bulk load wants C2 (see docs/neo4j.md).
read -r -a tuning <<<"${KEYTRAIL_NEO4J_JAVA_OPTS:--Xms256m -Xmx1g -XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
exec java \
  "${tuning[@]}" \
  --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  -Dio.netty.tryReflectionSetAccessible=true \
  -cp "$(<"$here/.classpath")" \
  "$here/Launcher.java" "$1" "$2"
