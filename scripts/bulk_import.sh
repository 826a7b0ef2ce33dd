#!/usr/bin/env bash
# First load of a large graph into Neo4j with `neo4j-admin database import full`: orders of
# magnitude faster than Bolt MERGEs, but it writes a new store, so the database is replaced and
# must be offline. Later, incremental loads go through Bolt (`kg load`, `kg build --neo4j`).
#
#   scripts/bulk_import.sh [--yes] [--database NAME] INPUT
#
#   INPUT       a folder written by `kg export GRAPH -f csv -o FOLDER` (it holds import.sh), or a
#               GraphML file from `kg build` (exported to CSV first, into a temporary folder)
#   --yes       replace the database if it already exists (otherwise the script stops)
#   --database  the database to import into (default neo4j; the community edition serves only
#               `neo4j` and `system`)
#
# Which Neo4j:
#   NEO4J_HOME set    a Neo4j 5 installation: its own bin/neo4j-admin runs the import into its
#                     data directory. Stop that server first (`$NEO4J_HOME/bin/neo4j stop`) and
#                     start it afterwards; then run the schema (cypher/schema.cypher, or
#                     `kg load` of any graph, which creates it first).
#   NEO4J_HOME unset  the project's own server (scripts/neo4j, Neo4j 5.26 from Maven Central; its
#                     NEO4J_DATA_DIR / NEO4J_BOLT_PORT apply). Its jars already hold the import
#                     tool (org.neo4j:neo4j-import-tool, run through org.neo4j.cli.AdminTool, the
#                     class behind neo4j-admin), so nothing else is downloaded. The script stops
#                     the server if it runs, imports, starts it, and creates the schema.
#
# Environment: KG_IMPORT_HEAP (JVM heap of the import tool, default 2g; the tool prints the
# memory it wants), plus those of scripts/neo4j. Examples:
#
#   kg build papers/ -o papers.graphml
#   scripts/bulk_import.sh --yes papers.graphml
#   kg export papers.graphml -f csv -o import/ && NEO4J_HOME=~/neo4j scripts/bulk_import.sh import/
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA_DIR=${NEO4J_DATA_DIR:-$ROOT/.neo4j}
HEAP=${KG_IMPORT_HEAP:-2g}
DATABASE=neo4j
YES=0
INPUT=

say() { echo "bulk_import: $*" >&2; }
die() { echo "bulk_import: error: $*" >&2; exit 1; }

while (($#)); do
    case $1 in
        --yes | -y) YES=1 ;;
        --database) DATABASE=${2:?--database needs a name}; shift ;;
        --database=*) DATABASE=${1#*=} ;;
        -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) [[ -z $INPUT ]] || die "one INPUT only"; INPUT=$1 ;;
    esac
    shift
done
[[ -n $INPUT ]] || die "give a CSV export folder or a GraphML file (see --help)"
[[ $DATABASE =~ ^[A-Za-z][A-Za-z0-9.-]*$ ]] || die "not a database name: $DATABASE"

if [[ -z ${NEO4J_HOME:-} && -d $DATA_DIR/data/databases/$DATABASE && $YES != 1 ]]; then
    die "database $DATABASE exists in $DATA_DIR/data: pass --yes to replace it"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/kg-bulk.XXXXXX")
trap 'rm -rf "$TMP"' EXIT

# 1. The CSV folder.
if [[ -d $INPUT ]]; then
    CSV=$(cd "$INPUT" && pwd)
elif [[ -f $INPUT ]]; then
    say "exporting $INPUT to CSV"
    CSV=$TMP/csv
    if command -v kg >/dev/null 2>&1; then
        kg export "$INPUT" -f csv -o "$CSV" -q
    else
        python3 -c 'from kg.cli import main; main()' export "$INPUT" -f csv -o "$CSV" -q
    fi
else
    die "$INPUT: no such file or folder"
fi
[[ -f $CSV/import.sh ]] || die "$CSV holds no import.sh: write it with kg export GRAPH -f csv -o FOLDER"

# 2. The neo4j-admin to run, and where its database lives.
if [[ -n ${NEO4J_HOME:-} ]]; then
    HOME_DIR=$(cd "$NEO4J_HOME" && pwd)
    [[ -x $HOME_DIR/bin/neo4j-admin ]] || die "no bin/neo4j-admin in NEO4J_HOME=$HOME_DIR"
    if "$HOME_DIR/bin/neo4j" status >/dev/null 2>&1; then
        die "the server of $HOME_DIR is running: stop it first ($HOME_DIR/bin/neo4j stop)"
    fi
    LOCAL=0
else
    LOCAL=1
    bash "$ROOT/scripts/neo4j" build >/dev/null
    CLASSPATH_FILE=${NEO4J_LAUNCHER_DIR:-$ROOT/.neo4j/launcher}/classpath.txt  # as in scripts/neo4j
    [[ -s $CLASSPATH_FILE ]] || die "no Neo4j classpath at $CLASSPATH_FILE (scripts/neo4j build)"
    # A Neo4j home of one config file and a neo4j-admin that runs the import tool from the
    # server's own jars, pointed at the server's data directory.
    HOME_DIR=$TMP/home
    mkdir -p "$HOME_DIR/bin" "$HOME_DIR/conf" "$HOME_DIR/logs"
    printf 'server.directories.data=%s\nserver.directories.logs=%s\n' \
        "$DATA_DIR/data" "$HOME_DIR/logs" >"$HOME_DIR/conf/neo4j.conf"
    cat >"$HOME_DIR/bin/neo4j-admin" <<EOF
#!/usr/bin/env bash
export NEO4J_HOME="$HOME_DIR" NEO4J_CONF="$HOME_DIR/conf"
exec java -Xmx$HEAP -cp "\$(cat "$CLASSPATH_FILE")" org.neo4j.cli.AdminTool "\$@"
EOF
    chmod +x "$HOME_DIR/bin/neo4j-admin"
    was_running=0
    if bash "$ROOT/scripts/neo4j" status >/dev/null 2>&1; then
        was_running=1
        say "stopping the local server for the import"
        bash "$ROOT/scripts/neo4j" stop >&2
    fi
fi

# 3. The import: the export's own import.sh (array delimiter, multiline flag), with the
#    overwrite flag when asked for.
ADMIN_WRAP=$TMP/admin-home
mkdir -p "$ADMIN_WRAP/bin"
overwrite=()
((YES)) && overwrite=(--overwrite-destination=true)
cat >"$ADMIN_WRAP/bin/neo4j-admin" <<EOF
#!/usr/bin/env bash
exec "$HOME_DIR/bin/neo4j-admin" "\$@" ${overwrite[*]:-}
EOF
chmod +x "$ADMIN_WRAP/bin/neo4j-admin"
say "importing $CSV into database $DATABASE"
started=$(date +%s)
if ! NEO4J_HOME=$ADMIN_WRAP bash "$CSV/import.sh" "$DATABASE" >"$TMP/import.log" 2>&1; then
    tail -n 30 "$TMP/import.log" >&2
    ((LOCAL && was_running)) && bash "$ROOT/scripts/neo4j" start >&2
    die "the import failed (the database was left as it was)"
fi
grep -E 'IMPORT DONE|^  [0-9]+ (nodes|relationships|properties)|Peak memory' "$TMP/import.log" >&2 || true
say "import took $(($(date +%s) - started)) s"

# 4. Start the local server and create the schema (constraints, indexes) the Bolt writer uses.
if ((LOCAL)); then
    bash "$ROOT/scripts/neo4j" start >&2
    URI=bolt://${NEO4J_BOLT_HOST:-127.0.0.1}:${NEO4J_BOLT_PORT:-7687}
    python3 - "$DATABASE" "$URI" <<'EOF'
import sys

from kg.neo4j.settings import Settings, connect
from kg.neo4j.writer import create_schema

with connect(Settings.from_env(uri=sys.argv[2])) as driver:
    create_schema(driver, None if sys.argv[1] == "neo4j" else sys.argv[1])
EOF
    say "schema created; the graph is at $URI"
else
    say "now start the server ($HOME_DIR/bin/neo4j start) and create the schema: kg load of any graph does it, or run cypher/schema.cypher"
fi
