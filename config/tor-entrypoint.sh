#!/bin/sh
# Entry point of the tor image (Dockerfile, target "tor"). Tor serves an onion service to anyone
# while its authorized_clients/ directory is empty, so the review console's onion service is
# published only once an investigator is authorized there; until then tor runs the intake alone.
# Arguments are passed on to tor (the tests pass --verify-config).
set -eu
# Tor refuses onion service directories that others may read: whatever this script creates is private.
umask 077

torrc_dir=${CANDOR_TORRC_DIR:-/etc/tor/candor}
clients_dir=${CANDOR_CONSOLE_CLIENTS_DIR:-/var/lib/tor/console/authorized_clients}

mkdir -p "$clients_dir"
for client in "$clients_dir"/*.auth; do
  if [ -f "$client" ]; then
    exec tor -f "$torrc_dir/torrc" "$@"
  fi
done

echo "candor-tor: no investigator is authorized in $clients_dir yet, so the review console's onion service stays off (README.md, Running in production)." >&2
exec tor -f "$torrc_dir/torrc.intake-only" "$@"
