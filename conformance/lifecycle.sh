# shellcheck shell=bash disable=SC2154  # globals come from conformance/run
# Lifecycle cases, driven from outside the container (runtime.md). Sourced by conformance/run.
# Each lifecycle_<script> function runs with: rt (the runtime, with --root), $bundle (config.json
# already patched), $cid (a fresh id; "$cid-2" is also cleaned up), $scratch (a host directory
# the cases bind-mount at /hookout), J (the JSON tool), state_of, wait_status, wait_file.
# It prints a reason and returns 0 (ok), 1 (not ok) or 77 (skip).

fail() { echo "$*"; return 1; }

create_quiet() { # id [extra args]: create with stdio away from our pipes
	local id=$1
	shift
	rt create --bundle "$bundle" "$@" "$id" </dev/null >"$scratch/create.out" 2>"$scratch/create.err"
}

last_error() { tail -n1 "$scratch/create.err" 2>/dev/null | cut -c1-200; }

# Rewrites config.json in place with one more patch operation list (a JSON file).
repatch() { # case-like json file with "patch"
	local tmp=$scratch/config.tmp
	J apply "$bundle/config.json" "$1" "$(J get "$bundle/config.json" /ociVersion)" >"$tmp" && mv "$tmp" "$bundle/config.json"
}

lifecycle_state_transitions() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	local s
	s=$(state_of "$cid")
	[ "$s" = created ] || fail "after create: status '$s', expected created" || return
	rt start "$cid" >/dev/null 2>&1 || fail "start failed" || return
	wait_status "$cid" running || fail "after start: status '$(state_of "$cid")', expected running" || return
	rt kill "$cid" KILL >/dev/null 2>&1 || fail "kill KILL failed" || return
	wait_status "$cid" stopped || fail "after kill: status '$(state_of "$cid")', expected stopped" || return
	rt delete "$cid" >/dev/null 2>&1 || fail "delete of a stopped container failed" || return
	if rt state "$cid" >/dev/null 2>&1; then fail "state still succeeds after delete"; return; fi
	echo "created -> running -> stopped -> deleted"
}

lifecycle_state_fields() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	local state=$scratch/state.json pid
	rt state "$cid" >"$state" 2>/dev/null || fail "state failed" || return
	[ -n "$(J get "$state" /ociVersion)" ] || fail "state has no ociVersion" || return
	[ "$(J get "$state" /id)" = "$cid" ] || fail "state id is '$(J get "$state" /id)'" || return
	[ "$(J get "$state" /status)" = created ] || fail "state status is '$(J get "$state" /status)'" || return
	pid=$(J get "$state" /pid) || fail "state of a created container has no pid" || return
	[ "$pid" -gt 0 ] && [ -d "/proc/$pid" ] || fail "state pid $pid is not a live process" || return
	[ "$(J get "$state" /bundle)" = "$bundle" ] || fail "state bundle is '$(J get "$state" /bundle)', expected $bundle" || return
	echo "ociVersion, id, status, pid and bundle present"
}

lifecycle_create_does_not_run() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	sleep 1
	[ ! -e "$scratch/ran" ] || fail "the process ran before start" || return
	rt start "$cid" >/dev/null 2>&1 || fail "start failed" || return
	wait_file "$scratch/ran" || fail "the process did not run after start" || return
	echo "process.args ran only after start"
}

lifecycle_config_change_after_create() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	cat >"$scratch/change.json" <<'EOF'
{ "patch": [{ "op": "replace", "path": "/process/args", "value": ["sh", "-c", "echo changed > /hookout/ran"] }] }
EOF
	repatch "$scratch/change.json" || fail "could not rewrite config.json" || return
	rt start "$cid" >/dev/null 2>&1 || fail "start failed" || return
	wait_file "$scratch/ran" || fail "the process did not run" || return
	[ "$(cat "$scratch/ran")" = original ] || fail "config.json edited after create changed the process: $(cat "$scratch/ran")" || return
	echo "edits after create had no effect"
}

lifecycle_kill_term() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	rt start "$cid" >/dev/null 2>&1 || fail "start failed" || return
	wait_file "$scratch/up" || fail "the process did not start" || return
	rt kill "$cid" TERM >/dev/null 2>&1 || fail "kill TERM failed" || return
	wait_status "$cid" stopped || fail "still '$(state_of "$cid")' after TERM" || return
	[ -s "$scratch/term" ] || fail "the process did not see SIGTERM" || return
	echo "SIGTERM delivered to the container process"
}

lifecycle_kill_created() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	rt kill "$cid" KILL >/dev/null 2>&1 || fail "kill of a created container failed" || return
	wait_status "$cid" stopped || fail "status '$(state_of "$cid")' after kill, expected stopped" || return
	echo "created container stopped by kill"
}

lifecycle_kill_stopped_fails() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	rt start "$cid" >/dev/null 2>&1 || fail "start failed" || return
	wait_status "$cid" stopped || fail "the process did not exit" || return
	if rt kill "$cid" KILL >/dev/null 2>&1; then fail "kill of a stopped container succeeded"; return; fi
	[ "$(state_of "$cid")" = stopped ] || fail "status changed to '$(state_of "$cid")'" || return
	echo "kill of a stopped container is an error"
}

lifecycle_delete_created_fails() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	if rt delete "$cid" >/dev/null 2>&1; then fail "delete (without force) of a created container succeeded"; return; fi
	[ "$(state_of "$cid")" = created ] || fail "status changed to '$(state_of "$cid")'" || return
	echo "delete of a created container is an error and leaves it created"
}

lifecycle_delete_running_fails() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	rt start "$cid" >/dev/null 2>&1 || fail "start failed" || return
	wait_status "$cid" running || fail "not running after start" || return
	if rt delete "$cid" >/dev/null 2>&1; then fail "delete (without force) of a running container succeeded"; return; fi
	[ "$(state_of "$cid")" = running ] || fail "status changed to '$(state_of "$cid")'" || return
	echo "delete of a running container is an error and leaves it running"
}

lifecycle_delete_stopped() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	rt start "$cid" >/dev/null 2>&1 || fail "start failed" || return
	wait_status "$cid" stopped || fail "the process did not exit" || return
	rt delete "$cid" >/dev/null 2>&1 || fail "delete of a stopped container failed" || return
	if rt state "$cid" >/dev/null 2>&1; then fail "state still succeeds after delete"; return; fi
	create_quiet "$cid" || fail "the id could not be reused after delete: $(last_error)" || return
	echo "deleted; the id is reusable"
}

lifecycle_delete_force_running() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	rt start "$cid" >/dev/null 2>&1 || fail "start failed" || return
	wait_status "$cid" running || fail "not running after start" || return
	local pid
	pid=$(rt state "$cid" | J get - /pid)
	rt delete --force "$cid" >/dev/null 2>&1 || fail "delete --force failed" || return
	if rt state "$cid" >/dev/null 2>&1; then fail "state still succeeds after delete --force"; return; fi
	for _ in $(seq 50); do [ -d "/proc/$pid" ] || break; sleep 0.1; done
	[ ! -d "/proc/$pid" ] || fail "container process $pid still alive" || return
	echo "delete --force killed and removed a running container"
}

lifecycle_create_duplicate_id() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	local pid
	pid=$(rt state "$cid" | J get - /pid)
	if create_quiet "$cid"; then fail "second create with the same id succeeded"; return; fi
	[ "$(state_of "$cid")" = created ] || fail "first container is now '$(state_of "$cid")'" || return
	[ "$(rt state "$cid" | J get - /pid)" = "$pid" ] || fail "first container's pid changed" || return
	echo "duplicate id refused; first container untouched"
}

lifecycle_create_invalid_id() {
	if create_quiet "bad/id"; then
		rt delete --force "bad/id" >/dev/null 2>&1
		fail "create with id 'bad/id' succeeded"
		return
	fi
	echo "id with a slash refused"
}

lifecycle_start_running_fails() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	rt start "$cid" >/dev/null 2>&1 || fail "start failed" || return
	wait_status "$cid" running || fail "not running after start" || return
	if rt start "$cid" >/dev/null 2>&1; then fail "second start succeeded"; return; fi
	[ "$(state_of "$cid")" = running ] || fail "status changed to '$(state_of "$cid")'" || return
	echo "start of a running container is an error"
}

lifecycle_start_stopped_fails() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	rt start "$cid" >/dev/null 2>&1 || fail "start failed" || return
	wait_status "$cid" stopped || fail "the process did not exit" || return
	if rt start "$cid" >/dev/null 2>&1; then fail "start of a stopped container succeeded"; return; fi
	echo "start of a stopped container is an error"
}

lifecycle_missing_id_errors() {
	if rt state "$cid-missing" >/dev/null 2>&1; then fail "state of a missing id succeeded"; return; fi
	if rt start "$cid-missing" >/dev/null 2>&1; then fail "start of a missing id succeeded"; return; fi
	if rt kill "$cid-missing" KILL >/dev/null 2>&1; then fail "kill of a missing id succeeded"; return; fi
	if rt delete "$cid-missing" >/dev/null 2>&1; then fail "delete of a missing id succeeded"; return; fi
	echo "state, start, kill and delete of a missing id are errors"
}

lifecycle_invalid_json() {
	echo '{ "ociVersion": "1.0.2", "process": ' >"$bundle/config.json"
	if create_quiet "$cid"; then fail "create with a truncated config.json succeeded"; return; fi
	if rt state "$cid" >/dev/null 2>&1; then fail "a container exists after the failed create"; return; fi
	echo "refused: $(last_error)"
}

lifecycle_missing_args() {
	if ! create_quiet "$cid"; then
		rt state "$cid" >/dev/null 2>&1 && fail "failed create left a container behind" && return
		echo "create refused it: $(last_error)"
		return 0
	fi
	if rt start "$cid" >/dev/null 2>&1; then fail "create and start both succeeded without process.args"; return; fi
	echo "start refused it"
}

lifecycle_start_without_process() {
	if ! create_quiet "$cid"; then
		echo "create refused a config without process: $(last_error)"
		return 0
	fi
	if rt start "$cid" >/dev/null 2>&1; then fail "start succeeded without process"; return; fi
	echo "start without process is an error"
}

lifecycle_run_exit_status() {
	rt run --bundle "$bundle" "$cid" </dev/null >/dev/null 2>&1
	local status=$?
	[ $status = 7 ] || fail "run exited $status, the container exited 7" || return
	echo "run returns the container's exit status"
}

lifecycle_pid_file() {
	create_quiet "$cid" --pid-file "$scratch/pidfile" || fail "create failed: $(last_error)" || return
	[ -s "$scratch/pidfile" ] || fail "no pid file written" || return
	local pid
	pid=$(rt state "$cid" | J get - /pid)
	[ "$(tr -d '[:space:]' <"$scratch/pidfile")" = "$pid" ] || fail "pid file says $(cat "$scratch/pidfile"), state says $pid" || return
	echo "pid file matches state"
}

lifecycle_hooks_order() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	rt start "$cid" >/dev/null 2>&1 || fail "start failed" || return
	wait_status "$cid" stopped || fail "the process did not exit" || return
	rt delete "$cid" >/dev/null 2>&1 || fail "delete failed" || return
	local log=$scratch/hooks.log order
	[ -s "$log" ] || fail "no hook ran" || return
	order=$(cut -d' ' -f1 "$log" | paste -sd' ' -)
	[ "$order" = "prestart createRuntime createContainer startContainer poststart poststop" ] ||
		fail "hooks ran as: $order" || return
	local missing
	missing=$(grep -v -E "\"id\": ?\"$cid\"" "$log" | cut -d' ' -f1 | paste -sd' ' -)
	[ -z "$missing" ] || fail "state on stdin lacks the id for: $missing" || return
	echo "$order; each got the state on stdin"
}

lifecycle_hooks_env_args() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	[ -s "$scratch/hookenv" ] || fail "the hook did not run" || return
	[ "$(cat "$scratch/hookenv")" = "arg-zero hook-value" ] || fail "hook saw '$(cat "$scratch/hookenv")'" || return
	echo "hook args and env as configured"
}

lifecycle_hooks_failure() {
	if create_quiet "$cid"; then fail "create succeeded although a createRuntime hook failed"; return; fi
	local s
	s=$(state_of "$cid")
	[ -z "$s" ] || [ "$s" = stopped ] || fail "container left '$s' after the hook failed" || return
	echo "failing createRuntime hook makes create fail"
}

lifecycle_hooks_timeout() {
	local start=$SECONDS
	if create_quiet "$cid"; then fail "create succeeded although a prestart hook timed out"; return; fi
	[ $((SECONDS - start)) -lt 25 ] || fail "create waited $((SECONDS - start)) s for a hook with timeout 1" || return
	echo "hook killed after its timeout; create failed"
}

lifecycle_poststop_failure_warns() {
	create_quiet "$cid" || fail "create failed: $(last_error)" || return
	rt start "$cid" >/dev/null 2>&1 || fail "start failed" || return
	wait_status "$cid" stopped || fail "the process did not exit" || return
	rt delete "$cid" >/dev/null 2>&1 || fail "delete failed although only a poststop hook failed" || return
	[ -s "$scratch/second" ] || fail "the poststop hook after the failing one did not run" || return
	echo "failing poststop hook: delete succeeded, later hooks ran"
}
