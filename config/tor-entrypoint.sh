#!/bin/sh
# Entry point of the tor image (Dockerfile, target "tor"). Tor serves an onion service to anyone
# while its authorized_clients/ directory holds no key it can read: it skips a file it cannot parse
# without refusing to start. So the review console's onion service is published only once a
# well-formed investigator key is there; until then tor runs the intake alone.
# Arguments are passed on to tor (the tests pass --verify-config).
set -eu
# Tor refuses onion service directories that others may read: whatever this script creates is private.
umask 077

torrc_dir=${CANDOR_TORRC_DIR:-/etc/tor/candor}
clients_dir=${CANDOR_CONSOLE_CLIENTS_DIR:-/var/lib/tor/console/authorized_clients}

mkdir -p "$clients_dir"
authorized=0
for client in "$clients_dir"/*.auth; do
  [ -f "$client" ] || continue
  # Exactly the one line `npm run admin -- console-client-auth` writes: tor's format, a 32-byte key.
  if [ "$(grep -c '' "$client")" = 1 ] && grep -Eqx 'descriptor:x25519:[A-Za-z2-7]{52}' "$client"; then
    authorized=$((authorized + 1))
  else
    echo "candor-tor: $client is not one line \"descriptor:x25519:<52 base32 characters>\" as console-client-auth writes it; it authorizes nobody." >&2
  fi
done
if [ "$authorized" -gt 0 ]; then
  exec tor -f "$torrc_dir/torrc" "$@"
fi

echo "candor-tor: no investigator is authorized in $clients_dir yet, so the review console's onion service stays off (README.md, Running in production)." >&2
exec tor -f "$torrc_dir/torrc.intake-only" "$@"
