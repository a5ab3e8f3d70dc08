#!/usr/bin/env bash
# Self-test of the suite's own tools (no root, no containers): the JSON patch tool applies each
# operation as documented, and the checker reports both passing and failing settings.
#   tools_test.sh JSON_TOOL CHECKER
set -u -o pipefail
json_tool=$1
checker=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
expect() { # description expected actual
	if [ "$2" = "$3" ]; then
		echo "ok - $1"
	else
		echo "not ok - $1: expected [$2], got [$3]"
		failures=$((failures + 1))
	fi
}

cat >"$work/base.json" <<'JSON'
{ "ociVersion": "x", "list": ["a", "c"], "obj": { "k": "v", "n": 3 } }
JSON
cat >"$work/case.json" <<'JSON'
{ "patch": [
  { "op": "add", "path": "/list/1", "value": "b" },
  { "op": "add", "path": "/list/-", "value": "d" },
  { "op": "replace", "path": "/obj/k", "value": "w" },
  { "op": "remove", "path": "/obj/n" },
  { "op": "add", "path": "/new/deep", "value": true } ] }
JSON
"$json_tool" apply "$work/base.json" "$work/case.json" 9.9.9 >"$work/out.json"
expect "apply: insert and append" "a b c d" "$("$json_tool" get "$work/out.json" /list | paste -sd' ' -)"
expect "apply: replace" "w" "$("$json_tool" get "$work/out.json" /obj/k)"
expect "apply: remove" "1" "$("$json_tool" get "$work/out.json" /obj/n >/dev/null; echo $?)"
expect "apply: add creates parents" "true" "$("$json_tool" get "$work/out.json" /new/deep)"
expect "apply: sets ociVersion" "9.9.9" "$("$json_tool" get "$work/out.json" /ociVersion)"
expect "keys" "k" "$("$json_tool" keys "$work/out.json" /obj)"
expect "get from stdin" "w" "$(echo '{"k":"w"}' | "$json_tool" get - /k)"
echo '{ "patch": [{ "op": "move", "path": "/a" }] }' >"$work/bad.json"
expect "unsupported op is an error" "2" "$("$json_tool" apply "$work/base.json" "$work/bad.json" 1 >/dev/null 2>&1; echo $?)"
echo '{ "patch": [{ "op": "replace", "path": "/nothing", "value": 1 }] }' >"$work/bad.json"
expect "replace of a missing member is an error" "2" "$("$json_tool" apply "$work/base.json" "$work/bad.json" 1 >/dev/null 2>&1; echo $?)"

# The checker on the host: a config that matches this process passes, a wrong uid fails.
cd "$work" || exit 1
cat >"$work/good.json" <<JSON
{ "process": { "args": ["$checker", "$work/good.json"], "cwd": "$work", "user": { "uid": $(id -u), "gid": $(id -g) } } }
JSON
"$checker" "$work/good.json" >"$work/good.tap"
expect "checker: matching config exits 0" "0" "$?"
expect "checker: reports uid ok" "1" "$(grep -c '^ok [0-9]* - /process/user/uid$' "$work/good.tap")"
cat >"$work/bad.json" <<JSON
{ "process": { "args": ["$checker", "$work/bad.json"], "user": { "uid": 4242, "gid": $(id -g) } } }
JSON
"$checker" "$work/bad.json" >"$work/bad.tap"
expect "checker: mismatching config exits 1" "1" "$?"
expect "checker: says what differs" "not ok 2 - /process/user/uid: expected 4242, got $(id -u)" \
	"$(grep '/process/user/uid:' "$work/bad.tap")"
expect "checker: plan line" "1..$(grep -c '^\(not \)\{0,1\}ok' "$work/bad.tap")" "$(head -n1 "$work/bad.tap")"
[ "$failures" = 0 ]
