#!/usr/bin/env bash
# Runs policyd_robustness_test.py (python3 from Debian) with the daemon and
# the test policy Bazel built and staged.
exec python3 "$(dirname "$0")/policyd_robustness_test.py" "$@"
