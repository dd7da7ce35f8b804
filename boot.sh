#! /bin/sh
# Generates the build system.  Run once after cloning.
set -e
autoreconf --install --force
