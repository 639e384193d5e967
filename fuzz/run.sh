#!/bin/sh
# Fuzz every target of ./fuzz in turn, each for FUZZTIME (Go's -fuzztime syntax: 30s, 10m, 1h,
# or a count such as 100000x).
#
#   fuzz/run.sh              each target for 10s (the short mode CI uses)
#   fuzz/run.sh 10m          each target for ten minutes (make fuzz FUZZTIME=10m)
#   fuzz/run.sh 1m FuzzLike FuzzParse      only the named targets (another package: internal/iac:FuzzExtract)
#   fuzz/run.sh 10m TestDifferentialRandom uniformly random inputs through FuzzDifferential's
#                             check (not coverage-guided; finds what mutation stays away from)
#
# Environment:
#   FUZZ_PARALLEL=n           fuzzing workers per target (go test -parallel; default GOMAXPROCS)
#   FUZZ_MINIMIZETIME=d       time spent minimizing each new interesting input or failure
#                             (go test -fuzzminimizetime; default here 10s, Go's own is 60s)
#   GO                        the go command (default: go)
#
# A failing input is written by Go to fuzz/testdata/fuzz/FuzzX/<hash>: keep it (it becomes a
# seed that plain `go test ./fuzz` runs) and reproduce it with
#   go test ./fuzz -run 'FuzzX/<hash>' -v
# The script runs every target even after a failure and exits non-zero if any failed. The
# last "fuzz: elapsed: ..., execs: N" line of each target is printed in the summary.
#
# Go 1.26's fuzzing coordinator sometimes fails a target with a bare "context deadline
# exceeded" right at the end of -fuzztime, without any failing input (golang/go#75804, fixed in
# Go 1.27). Such a run, with that message and no new file under fuzz/testdata/fuzz/FuzzX/, is
# reported as FLAKE and does not fail the script.
set -u

FUZZTIME=${1:-10s}
[ $# -gt 0 ] && shift
GO=${GO:-go}
TARGETS=${*:-FuzzParse FuzzDifferential FuzzBundle FuzzDecodeProgram FuzzLike FuzzRequestJSON FuzzRoleDefinitions FuzzRoleAssignments FuzzDenyAssignments FuzzHierarchy FuzzRBACRequest internal/iac:FuzzExtract FuzzExtended internal/ipaddr:FuzzParse internal/attrs:FuzzParseTimeOfDay}

cd "$(dirname "$0")/.." || exit 2

MINIMIZE=${FUZZ_MINIMIZETIME:-10s}
PARALLEL=""
[ -n "${FUZZ_PARALLEL:-}" ] && PARALLEL="-parallel=$FUZZ_PARALLEL"

LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/abacc-fuzz.XXXXXX") || exit 2
status=0
summary=""
for t in $TARGETS; do
	# A target of another package is written PACKAGE:Target (internal/iac:FuzzExtract).
	pkg=./fuzz
	case $t in
	*:*) pkg=./${t%%:*}; t=${t##*:} ;;
	esac
	echo "=== $t ($pkg) for $FUZZTIME"
	log="$LOGDIR/$t.log"
	corpus="$pkg/testdata/fuzz/$t"
	before=$(ls "$corpus" 2>/dev/null | sort)
	case $t in
	Test*)
		ABACC_FUZZ_RANDOM=$FUZZTIME $GO test "$pkg" -run "^$t\$" -count=1 -timeout 0 -v 2>&1 | grep -v -E '^(=== RUN|=== PAUSE|=== CONT| *--- PASS)' | tee "$log"
		;;
	*)
		# shellcheck disable=SC2086
		$GO test "$pkg" -run '^$' -fuzz "^$t\$" -fuzztime "$FUZZTIME" -fuzzminimizetime "$MINIMIZE" $PARALLEL 2>&1 | tee "$log"
		;;
	esac
	rc=$(grep -c '^ok ' "$log")
	last=$(grep 'execs:\|random inputs' "$log" | tail -n 1)
	after=$(ls "$corpus" 2>/dev/null | sort)
	if [ "$rc" -eq 0 ] && [ "$before" = "$after" ] && grep -q 'context deadline exceeded' "$log" &&
		! grep -q -e '^panic:' -e 'Failing input written' -e '^ *[a-z_]*_test\.go:[0-9]*:' "$log"; then
		summary="$summary
FLAKE $t: \"context deadline exceeded\" at the end of -fuzztime, no failing input (golang/go#75804): $last"
	elif [ "$rc" -eq 0 ]; then
		status=1
		summary="$summary
FAIL $t: ${last:-no fuzzing output} (log: $log)"
	else
		summary="$summary
ok   $t: ${last:-(no progress line: FUZZTIME ran out while Go replayed the seeds)}"
	fi
done
echo
echo "=== summary (FUZZTIME=$FUZZTIME)$summary"
if [ "$status" -ne 0 ]; then
	echo "failing inputs are under fuzz/testdata/fuzz/; logs in $LOGDIR"
else
	rm -rf "$LOGDIR"
fi
exit $status
