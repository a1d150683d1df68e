#!/usr/bin/env bash
# Installs and runs the S3 and EC2 emulators that the AWS provider tests use:
#   moto (trixie)  EC2, and S3 with checksumAlgorithm ""     -> VELERO_TEST_MOTO_TRIXIE
#   moto (sid)     S3 with the AWS SDK's default checksums   -> VELERO_TEST_MOTO_SID
#   s3rver         an S3-compatible store (checksum-less)    -> VELERO_TEST_S3RVER
#   s3rver (TLS)   the same over HTTPS, with a test CA         -> VELERO_TEST_S3RVER_TLS, VELERO_TEST_S3RVER_TLS_CA (PEM file)
#
# Usage: bash eng/test-servers.sh start|stop|install
#   start    installs what is missing, starts the three servers on free local ports and writes their endpoints to
#            .test-servers/env (sourced by eng/test.sh; the tests also read that file when the variables are unset)
#   stop     stops the servers this script started (by the process IDs it recorded)
#   install  only installs
#
# moto comes from Debian packages unpacked with dpkg -x (moto and botocore from trixie or sid, the rest from bookworm),
# downloaded with private apt lists: nothing is installed or upgraded on the host. It runs with the system /usr/bin/python3.
# s3rver is pinned in eng/s3rver/package-lock.json and installed with npm ci.
# Downloads are cached in $VELERO_TEST_CACHE (default ~/.cache/velero-sdk-test-servers), outside the repository.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${VELERO_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/velero-sdk-test-servers}"
state="$root/.test-servers"
python=/usr/bin/python3
mirror="${VELERO_TEST_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

log() { echo "test-servers: $*" >&2; }

apt_private() { # apt_private <dir> <suite> <apt-get args...>: apt-get with its own sources, lists and cache in <dir>
  local dir="$1" suite="$2"
  shift 2
  mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror $suite main" > "$dir/sources.list"
  apt-get -oDir::Etc::SourceList="$dir/sources.list" -oDir::Etc::SourceParts=/dev/null \
    -oDir::State::Lists="$dir/lists" -oDir::Cache="$dir/cache" -oDir::State::Status=/dev/null \
    -oAPT::Sandbox::User="$(id -un)" -qq "$@"
}

bookworm_packages=(python3-flask python3-flask-cors python3-werkzeug python3-jinja2 python3-markupsafe python3-click
  python3-itsdangerous python3-blinker python3-responses python3-requests python3-urllib3 python3-certifi
  python3-idna python3-charset-normalizer python3-chardet python3-dateutil python3-six python3-jmespath
  python3-xmltodict python3-yaml python3-toml python3-cryptography python3-cffi-backend)

install_moto() { # install_moto <suite>
  local suite="$1" dir="$cache/moto-$1"
  local site="$dir/tree/usr/lib/python3/dist-packages"
  if [ -f "$dir/.complete" ]; then
    return
  fi
  log "installing moto from Debian $suite into $dir"
  rm -rf "$dir"
  mkdir -p "$dir/debs" "$dir/tree" "$cache/bookworm-debs"
  apt_private "$dir/apt" "$suite" update
  (cd "$dir/debs" && apt_private "$dir/apt" "$suite" download python3-moto python3-botocore python3-boto3 python3-s3transfer)
  if [ ! -f "$cache/bookworm-debs/.complete" ]; then
    apt_private "$cache/apt-bookworm" bookworm update
    (cd "$cache/bookworm-debs" && apt_private "$cache/apt-bookworm" bookworm download "${bookworm_packages[@]}")
    touch "$cache/bookworm-debs/.complete"
  fi
  for deb in "$cache"/bookworm-debs/*.deb "$dir"/debs/*.deb; do
    dpkg -x "$deb" "$dir/tree"
  done
  PYTHONPATH="$site" "$python" -c 'import moto, moto.server; print("moto", moto.__version__)' >&2
  rm -rf "$dir/apt"
  touch "$dir/.complete"
}

install_s3rver() {
  if [ -x "$root/eng/s3rver/node_modules/.bin/s3rver" ] && [ "$root/eng/s3rver/node_modules/.package-lock.json" -nt "$root/eng/s3rver/package-lock.json" ]; then
    return
  fi
  log "installing s3rver (npm ci)"
  (cd "$root/eng/s3rver" && npm ci --no-audit --no-fund --loglevel=error >&2)
}

install_all() {
  if [ ! -x "$python" ]; then
    log "error: $python not found (moto runs with the system Python 3)"
    exit 1
  fi
  mkdir -p "$cache"
  # One installer at a time per cache (several checkouts may share it).
  exec 9>"$cache/.lock"
  flock 9
  install_moto trixie
  install_moto sid
  flock -u 9
  install_s3rver
}

free_ports() { # free_ports <count>: that many distinct free ports, one a line (all held open until all are chosen: the
  # system may hand a port it just gave out and was closed to the next caller, and two servers on one port answer as one)
  "$python" -c 'import socket, sys
socks = [socket.socket() for _ in range(int(sys.argv[1]))]
for s in socks: s.bind(("127.0.0.1", 0))
print("\n".join(str(s.getsockname()[1]) for s in socks))
for s in socks: s.close()' "$1"
}

wait_ready() { # wait_ready <name> <url> <pid>
  local name="$1" url="$2" pid="$3"
  for _ in $(seq 300); do
    # shellcheck disable=SC2086 # $url may carry curl options (--cacert)
    if curl -fs -o /dev/null $url; then
      return
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      log "error: $name exited during start-up; its log:"
      tail -n 30 "$state/$name.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  log "error: $name did not answer on $url within 30 s"
  exit 1
}

make_certificates() { # a test CA and a certificate for 127.0.0.1 that it signed, for the TLS s3rver
  local dir="$state/tls"
  rm -rf "$dir"
  mkdir -p "$dir"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/ca.key" -out "$dir/ca.pem" -days 7 -subj "/CN=Velero.Sdk test CA" 2> /dev/null
  openssl req -newkey rsa:2048 -nodes -keyout "$dir/server.key" -out "$dir/server.csr" -subj "/CN=127.0.0.1" 2> /dev/null
  printf 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' > "$dir/server.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" -CAcreateserial -out "$dir/server.pem" \
    -days 7 -extfile "$dir/server.ext" 2> /dev/null
}

start_moto() { # start_moto <suite> <port>
  local suite="$1" port="$2"
  PYTHONPATH="$cache/moto-$suite/tree/usr/lib/python3/dist-packages" \
    setsid "$python" -m moto.server -H 127.0.0.1 -p "$port" > "$state/moto-$suite.log" 2>&1 < /dev/null &
  echo $! > "$state/moto-$suite.pid"
}

start_all() {
  local began=$SECONDS
  install_all
  local installed=$SECONDS
  stop_all
  mkdir -p "$state"
  local trixie sid s3rver tls
  { read -r trixie; read -r sid; read -r s3rver; read -r tls; } < <(free_ports 4)
  start_moto trixie "$trixie"
  start_moto sid "$sid"
  rm -rf "$state/s3rver-data"
  mkdir -p "$state/s3rver-data"
  # --openssl-legacy-provider: s3rver encrypts ListObjectsV2 continuation tokens with DES, which OpenSSL 3 refuses.
  NODE_OPTIONS=--openssl-legacy-provider setsid "$root/eng/s3rver/node_modules/.bin/s3rver" \
    -d "$state/s3rver-data" -a 127.0.0.1 -p "$s3rver" --silent > "$state/s3rver.log" 2>&1 < /dev/null &
  echo $! > "$state/s3rver.pid"
  make_certificates
  rm -rf "$state/s3rver-tls-data"
  mkdir -p "$state/s3rver-tls-data"
  NODE_OPTIONS=--openssl-legacy-provider setsid "$root/eng/s3rver/node_modules/.bin/s3rver" \
    -d "$state/s3rver-tls-data" -a 127.0.0.1 -p "$tls" --key "$state/tls/server.key" --cert "$state/tls/server.pem" --silent \
    > "$state/s3rver-tls.log" 2>&1 < /dev/null &
  echo $! > "$state/s3rver-tls.pid"
  wait_ready moto-trixie "http://127.0.0.1:$trixie/moto-api/" "$(cat "$state/moto-trixie.pid")"
  wait_ready moto-sid "http://127.0.0.1:$sid/moto-api/" "$(cat "$state/moto-sid.pid")"
  wait_ready s3rver "http://127.0.0.1:$s3rver/" "$(cat "$state/s3rver.pid")"
  wait_ready s3rver-tls "https://127.0.0.1:$tls/ --cacert $state/tls/ca.pem" "$(cat "$state/s3rver-tls.pid")"
  cat > "$state/env" <<EOF
VELERO_TEST_MOTO_TRIXIE=http://127.0.0.1:$trixie
VELERO_TEST_MOTO_SID=http://127.0.0.1:$sid
VELERO_TEST_S3RVER=http://127.0.0.1:$s3rver
VELERO_TEST_S3RVER_TLS=https://127.0.0.1:$tls
VELERO_TEST_S3RVER_TLS_CA=$state/tls/ca.pem
EOF
  log "ready in $((SECONDS - began)) s (install/check $((installed - began)) s, start $((SECONDS - installed)) s):" \
    "moto trixie :$trixie, moto sid :$sid, s3rver :$s3rver, s3rver TLS :$tls"
}

stop_all() {
  local name pid pids=()
  for name in moto-trixie moto-sid s3rver s3rver-tls; do
    if [ -f "$state/$name.pid" ]; then
      pid=$(cat "$state/$name.pid")
      # setsid made each server the leader of its own process group: stop that group only.
      kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
      pids+=("$pid")
      rm -f "$state/$name.pid"
    fi
  done
  # Wait (up to 5 s) until they are gone, then force the stragglers.
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 -- "-$pid" 2>/dev/null || true
  done
  rm -f "$state/env"
}

case "${1:-}" in
  start) start_all ;;
  stop) stop_all ;;
  install) install_all ;;
  *)
    echo "usage: bash eng/test-servers.sh start|stop|install" >&2
    exit 2
    ;;
esac
