#!/usr/bin/env bash
# Runs a command (the test suite) inside a private D-Bus session with an unlocked
# gnome-keyring, so that keyring tests use a real Secret Service and never the
# developer's own keyring. Without dbus-run-session or gnome-keyring-daemon the
# command runs as it is and the Secret Service tests skip (under CI they fail).
set -euo pipefail

# The client takes the computer's proxy from these variables, and the suite must not
# depend on this machine's: through a proxy, a test's request to an address that must not
# resolve would get the proxy's answer instead. (Loopback, where the sandbox runs, is
# never proxied.)
for name in $(compgen -e); do
  if [[ "${name,,}" == *_proxy ]]; then
    unset "$name"
  fi
done

if [[ "${KOMBO_TEST_SESSION:-}" != "inner" ]]; then
  if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    # The keyring daemon keeps its files under XDG_DATA_HOME: a fresh one per run.
    export XDG_DATA_HOME="$scratch/data" XDG_RUNTIME_DIR="$scratch/run"
    mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"
    chmod 700 "$XDG_RUNTIME_DIR"
    KOMBO_TEST_SESSION=inner dbus-run-session -- "$0" "$@" 2> >(grep -v -e 'fd limit' -e 'Activat' -e 'Gtk-WARNING' -e 'couldn.t initialize prompt' >&2)
    exit $?
  fi
  echo "tests/session.sh: no dbus-run-session or gnome-keyring-daemon; Secret Service tests will skip" >&2
  exec "$@"
fi

# A throwaway password: this keyring lives for one test run in a scratch folder.
eval "$(printf 'kombo-desktop-tests' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL
# The private session's address: the tests use (and clear) the Secret Service only on it,
# never on a developer's own session, whatever else sets this variable.
export KOMBO_TEST_SECRET_SERVICE="$DBUS_SESSION_BUS_ADDRESS"
"$@"
