#!/usr/bin/env bash
# The leader may not reach the followers' objectives: nothing under the leader module includes the
# followers module (or the mean-field model the followers learn on).
set -u
root=$1
hits=$(grep -rnE '#include +"mfgrid/(followers|meanfield)/' "$root/include/mfgrid/leader" "$root/src/leader" | grep -v 'meanfield/distribution.hpp' || true)
if [[ -n $hits ]]; then
  echo "the leader module includes follower code:"
  echo "$hits"
  exit 1
fi
echo "leader module is isolated from the followers"
