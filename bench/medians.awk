# Medians of `go test -bench` output, per benchmark and unit: the fallback of `make bench-rbac`
# when benchstat cannot be fetched. Portable awk (mawk has no asort).
#   awk -f bench/medians.awk bench/rbac.txt
/^Benchmark/ {
	name = $1
	sub(/-[0-9]+$/, "", name)
	if (!(name in seen)) { seen[name] = 1; order[++nnames] = name }
	for (i = 3; i + 1 <= NF; i += 2) {
		unit = $(i + 1)
		if (!((name, unit) in count)) {
			count[name, unit] = 0
			if (!(unit in useen)) { useen[unit] = 1; units[++nunits] = unit }
		}
		vals[name, unit, ++count[name, unit]] = $i + 0
	}
}
function median(name, unit,    n, i, j, v, a) {
	n = count[name, unit]
	for (i = 1; i <= n; i++) a[i] = vals[name, unit, i]
	for (i = 2; i <= n; i++) { v = a[i]; for (j = i - 1; j >= 1 && a[j] > v; j--) a[j + 1] = a[j]; a[j + 1] = v }
	if (n % 2) return a[(n + 1) / 2]
	return (a[n / 2] + a[n / 2 + 1]) / 2
}
END {
	printf "%-60s %5s", "benchmark (median of n runs)", "n"
	for (u = 1; u <= nunits; u++) printf " %16s", units[u]
	printf "\n"
	for (k = 1; k <= nnames; k++) {
		name = order[k]
		n = 0
		for (u = 1; u <= nunits; u++) if ((name, units[u]) in count && count[name, units[u]] > n) n = count[name, units[u]]
		printf "%-60s %5d", name, n
		for (u = 1; u <= nunits; u++) {
			if ((name, units[u]) in count) printf " %16.6g", median(name, units[u])
			else printf " %16s", "-"
		}
		printf "\n"
	}
}
