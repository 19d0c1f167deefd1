# Shared helpers for scripts/*: sourced, not run.
# shellcheck shell=bash

GK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export GK_ROOT
# Tools the project installs itself come first: wasm-opt from npm's binaryen
# (never Debian's), then cargo-installed trunk / wasm-bindgen.
export PATH="$GK_ROOT/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# The site that scripts/build-site writes and nginx serves.
GK_DIST="${GK_DIST:-$GK_ROOT/dist}"
GK_TARGET="${CARGO_TARGET_DIR:-$GK_ROOT/target}"
# The gongkai command, built with the speed profile `cli` (Cargo.toml) by
# gk_build_cli.
GK_CLI="$GK_TARGET/cli/gongkai"

gk_log() { printf '==> %s\n' "$*" >&2; }

# gk_build_cli [cargo args...]: builds the gongkai command (and any
# --example given) with the `cli` profile into $GK_TARGET/cli/.
gk_build_cli() {
    cargo build --profile cli -p gongkai-cli --bin gongkai "$@"
}
gk_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# gk_step NAME CMD...: runs CMD, reports its time, and says which step failed.
gk_step() {
    local name="$1"; shift
    local start=$SECONDS
    gk_log "$name"
    if "$@"; then
        gk_log "$name: ok ($((SECONDS - start)) s)"
    else
        local rc=$?
        printf 'error: step failed: %s (exit %d)\n' "$name" "$rc" >&2
        return "$rc"
    fi
}

# The wasm-bindgen version that Cargo.lock pins; wasm-bindgen-cli must match.
gk_wasm_bindgen_version() {
    awk '
        /^\[\[package\]\]/ { name = "" }
        /^name = /         { name = $3 }
        /^version = / && name == "\"wasm-bindgen\"" { gsub(/"/, "", $3); print $3; exit }
    ' "$GK_ROOT/Cargo.lock"
}

# A free TCP port on the loopback interface.
gk_free_port() {
    node -e '
        const s = require("net").createServer();
        s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });
    '
}

# gk_nginx_config DIR PORT SITE_ROOT: writes DIR/nginx.conf from
# deploy/nginx.conf, changing only the listen port, the root and the
# pid/log/temp paths (into DIR). brotli.conf is copied beside it only when
# the brotli modules are enabled, as a deployment would.
gk_nginx_config() {
    local dir="$1" port="$2" site="$3"
    mkdir -p "$dir/logs" "$dir/temp"
    local esc_dir esc_site
    esc_dir=$(printf '%s' "$dir" | sed 's/[\\&#]/\\&/g')
    esc_site=$(printf '%s' "$site" | sed 's/[\\&#]/\\&/g')
    sed -e "s#^\([[:space:]]*listen[[:space:]]\{1,\}\)127\.0\.0\.1:8080;#\1127.0.0.1:$port;#" \
        -e "s#^\([[:space:]]*root[[:space:]]\{1,\}\)/srv/gongkai;#\1$esc_site;#" \
        -e "s#/run/nginx-gongkai\.pid#$esc_dir/nginx.pid#" \
        -e "s#/var/log/nginx/#$esc_dir/logs/#g" \
        -e "s#/var/lib/nginx/#$esc_dir/temp/#g" \
        "$GK_ROOT/deploy/nginx.conf" >"$dir/nginx.conf"
    grep -q "listen[[:space:]]*127.0.0.1:$port;" "$dir/nginx.conf" \
        || gk_die "deploy/nginx.conf: no 'listen 127.0.0.1:8080;' line to rewrite"
    grep -qF "root $site;" <(sed 's/[[:space:]]\{1,\}/ /g' "$dir/nginx.conf") \
        || gk_die "deploy/nginx.conf: no 'root /srv/gongkai;' line to rewrite"
    rm -f "$dir/brotli.conf"
    if compgen -G '/etc/nginx/modules-enabled/*brotli-filter*' >/dev/null \
        && compgen -G '/etc/nginx/modules-enabled/*brotli-static*' >/dev/null; then
        cp "$GK_ROOT/deploy/brotli.conf" "$dir/brotli.conf"
    fi
}

# Arguments for nginx with DIR's config. As root, workers run as root too so
# that a checkout under /root is readable (the config has no `user`).
gk_nginx_args() {
    local dir="$1" globals="$2"
    if [ "$(id -u)" = 0 ]; then globals="user root; $globals"; fi
    printf '%s\n' -c "$dir/nginx.conf" -g "$globals"
}

# gk_wait_http URL PID: polls URL until it answers (bounded), failing early
# if process PID has exited.
gk_wait_http() {
    local url="$1" pid="$2" i
    for i in $(seq 1 150); do
        if curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || gk_die "nginx exited before answering $url"
        sleep 0.1
    done
    gk_die "no answer from $url after 150 tries"
}

# Serves SITE with deploy/nginx.conf (as a daemon) on a free loopback port for
# the rest of the calling script: sets GK_URL (with a trailing slash) and
# stops nginx and removes its temporary directory on exit. For bench scripts;
# it replaces the caller's EXIT trap.
gk_serve_site() {
    local site="$1" port
    GK_SERVE_DIR=$(mktemp -d "${TMPDIR:-/tmp}/gongkai-nginx.XXXXXX")
    port=$(gk_free_port)
    gk_nginx_config "$GK_SERVE_DIR" "$port" "$site"
    mapfile -t GK_SERVE_ARGS < <(gk_nginx_args "$GK_SERVE_DIR" "daemon on;")
    nginx -t -q "${GK_SERVE_ARGS[@]}"
    nginx "${GK_SERVE_ARGS[@]}"
    trap 'nginx "${GK_SERVE_ARGS[@]}" -s stop 2>/dev/null || true; rm -rf "$GK_SERVE_DIR"' EXIT
    GK_URL="http://127.0.0.1:$port/"
    gk_wait_http "$GK_URL" "$(cat "$GK_SERVE_DIR/nginx.pid")"
}
