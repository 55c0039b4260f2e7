#!/usr/bin/env bash
# Run-file checks through the real binary and real mpiexec.
#   run_file_cases.sh CASE MFGRID SOURCE_DIR
# CASE: ranks | measured | large_rows | resume_term | resume_usr1 | bad_files | xarray | keep_checkpoint
set -euo pipefail
case_name=$1 mfgrid=$2 src=$3
compare=(/usr/bin/python3 "$src/scripts/compare_runs.py")
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
cd "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }
mpi() { local n=$1; shift; mpiexec -n "$n" --bind-to none "$@"; }

# A short default-scenario run: followers and leader learn, checkpoints every 5 days.
settings=(--set checkpoint.every_days=5 --set output.sample_agents=11 --threads 1)
# The runs a signal stops: 60 days, 24 under the sanitizers (MFGRID_TEST_SANITIZED, set by the
# build), still 4 checkpoints after the stop and 4 leader interactions.
days=60
[[ ${MFGRID_TEST_SANITIZED:-0} == 1 ]] && days=24
# may_launch N: the build's MPI tests include N ranks (MFGRID_TEST_RANKS, a comma list; all when
# unset): the sanitizer build tests 2 only, where a 3-rank job oversubscribing 2 cores is slow.
may_launch() { [[ ,${MFGRID_TEST_RANKS:-1,2,3}, == *,$1,* ]]; }

# run_and_stop N SIGNAL OUT: starts a run of $days days (on N ranks under mpiexec, or alone when N is
# 0), sends SIGNAL to the process started once day 3 is done, expects exit 75 and a checkpointed
# OUT.partial.
run_and_stop() {
  local ranks=$1 signal=$2 out=$3 pid rc=0
  local launch=()
  ((ranks == 0)) || launch=(mpiexec -n "$ranks" --bind-to none)
  "${launch[@]}" "$mfgrid" run --days "$days" -o "$out" "${settings[@]}" >"$out.log" 2>&1 &
  pid=$!
  for _ in $(seq 600); do
    grep -Eq '^ +3 ' "$out.log" && break
    sleep 0.05
  done
  kill -"$signal" "$pid"
  wait "$pid" || rc=$?
  [[ $rc -eq 75 ]] || { cat "$out.log"; fail "expected exit 75 after SIG$signal, got $rc"; }
  grep -q "stopped by a signal after day" "$out.log" || fail "no stop message"
  [[ -f $out.partial && ! -e $out ]] || fail "expected only $out.partial"
  "$mfgrid" info "$out" | grep -q "interrupted (checkpoint after day" || fail "info: not interrupted"
}

case $case_name in
  ranks)
    # The same run on 1, 2 and 3 ranks (and 1 or 2 threads) writes the same datasets.
    mpi 1 "$mfgrid" run --days 12 -o r1.h5 "${settings[@]}" --quiet >/dev/null
    mpi 2 "$mfgrid" run --days 12 -o r2.h5 "${settings[@]}" --quiet >/dev/null
    mpi 1 "$mfgrid" run --days 12 -o t2.h5 "${settings[@]:0:4}" --threads 2 --quiet >/dev/null
    "${compare[@]}" r1.h5 r2.h5
    if may_launch 3; then
      mpi 3 "$mfgrid" run --days 12 -o r3.h5 "${settings[@]}" --quiet >/dev/null
      "${compare[@]}" r1.h5 r3.h5
    fi
    "${compare[@]}" r1.h5 t2.h5
    # … and another seed does not.
    mpi 1 "$mfgrid" run --days 12 -o s2.h5 --seed 2 "${settings[@]}" --quiet >/dev/null
    if "${compare[@]}" r1.h5 s2.h5 >/dev/null; then fail "another seed gave the same file"; fi
    # `info` starts no MPI, yet under a launcher one process speaks.
    [[ $(mpi 2 "$mfgrid" info r1.h5 | grep -c '^file: ') -eq 1 ]] || fail "info printed twice"
    # Never overwritten without --force.
    rc=0; "$mfgrid" run --days 2 -o r1.h5 --quiet >out.txt 2>&1 || rc=$?
    [[ $rc -eq 2 ]] && grep -q "exists already.*--force" out.txt || fail "overwrote without --force"
    "$mfgrid" run --days 2 -o r1.h5 --quiet --force >/dev/null
    ;;
  measured)
    # A scenario of measured series (a year of homes' load and PV) with, for the network, a dated
    # series of 20 days of load factors from the day before the start and one of a generator's
    # costs: the same file on 1 and 2 ranks and 2 threads, and a run that outlasts the series
    # refused before it starts.
    echo "time,load,gas" >grid.csv
    for d in $(seq 0 19); do
      day=$(date -u -d "2025-07-31 + $d days" +%F)
      for h in $(seq 0 23); do
        printf '%s %02d:00,%s,%s\n' "$day" "$h" "0.$((60 + (d * 7 + h * 3) % 40))" \
          "1.$(((d * 13 + h) % 10))" >>grid.csv
      done
    done
    csv="{ csv = \"$work/grid.csv\", time_column = \"time\", column"
    homes=("$src/scenarios/measured/ieee3-equity-measured.toml" "${settings[@]:0:4}")
    measured=("${homes[@]}" --set "network.load_profile=$csv = \"load\" }"
      --set "network.generator[1].cost_profile=$csv = \"gas\" }")
    mpi 1 "$mfgrid" run "${measured[@]}" --days 16 --threads 1 -o m1.h5 --quiet >/dev/null
    mpi 2 "$mfgrid" run "${measured[@]}" --days 16 --threads 1 -o m2.h5 --quiet >/dev/null
    mpi 1 "$mfgrid" run "${measured[@]}" --days 16 --threads 2 -o t2.h5 --quiet >/dev/null
    "${compare[@]}" m1.h5 m2.h5
    "${compare[@]}" m1.h5 t2.h5
    rc=0; "$mfgrid" run "${homes[@]}" --days 366 -o long.h5 >out.txt 2>&1 || rc=$?
    [[ $rc -eq 2 ]] && grep -q "the series holds 365 days and time.days = 366" out.txt ||
      { cat out.txt; fail "a run past the series' end (exit $rc)"; }
    # The dated series read from 2025-08-01 holds 19 of the file's 20 days.
    rc=0; "$mfgrid" run "${measured[@]}" --days 20 -o long.h5 >out.txt 2>&1 || rc=$?
    [[ $rc -eq 2 ]] && grep -q "load_profile: the series holds 19 days and time.days = 20" out.txt ||
      { cat out.txt; fail "a run past the dated series' end (exit $rc)"; }
    ;;
  large_rows)
    # ieee118-city's followers/policy rows (4.0 MB) are stored in chunks of about 1 MiB, each rank
    # compressing its share of them: the same datasets at 1, 2 and 3 ranks and at 2 threads, and a
    # run stopped on 2 ranks (SIGUSR1 to mpiexec) and resumed on 1 (3 where the build tests 3-rank
    # runs).
    # 30 days (0.16 s each here): the stop comes at day 7 or a little after, with time to spare.
    big_days=30
    [[ ${MFGRID_TEST_SANITIZED:-0} == 1 ]] && big_days=16
    big=(ieee118-city --days "$big_days" --set population.scale=0.02
      --set checkpoint.every_days=5 --set output.sample_agents=5)
    mpi 1 "$mfgrid" run "${big[@]}" -o l1.h5 --threads 1 --quiet >/dev/null
    /usr/bin/python3 -c "import h5py, sys
d = h5py.File(sys.argv[1])['followers/policy']
assert d.chunks[0] == 1 and 1 < d.chunks[1] < d.shape[1], (d.shape, d.chunks)" l1.h5 ||
      fail "followers/policy is not split into chunks"
    mpi 2 "$mfgrid" run "${big[@]}" -o l2.h5 --threads 1 --quiet >/dev/null
    mpi 1 "$mfgrid" run "${big[@]}" -o lt.h5 --threads 2 --quiet >/dev/null
    "${compare[@]}" l1.h5 l2.h5
    "${compare[@]}" l1.h5 lt.h5
    resume_ranks=1
    if may_launch 3; then
      mpi 3 "$mfgrid" run "${big[@]}" -o l3.h5 --threads 1 --quiet >/dev/null
      "${compare[@]}" l1.h5 l3.h5
      resume_ranks=3
    fi
    mpiexec -n 2 --bind-to none "$mfgrid" run "${big[@]}" -o cut.h5 --threads 1 >cut.log 2>&1 &
    pid=$!
    for _ in $(seq 1200); do
      grep -Eq '^ +5 ' cut.log && break
      sleep 0.05
    done
    kill -USR1 "$pid"
    rc=0; wait "$pid" || rc=$?
    [[ $rc -eq 75 ]] || { cat cut.log; fail "expected exit 75 after SIGUSR1, got $rc"; }
    mpi "$resume_ranks" "$mfgrid" resume cut.h5 --threads 1 --quiet >/dev/null ||
      fail "resume on $resume_ranks ranks"
    "${compare[@]}" l1.h5 cut.h5
    ;;
  resume_term)
    # SIGTERM to a 1-rank run, resumed on 2 ranks: the file of an uninterrupted run.
    "$mfgrid" run --days "$days" -o ref.h5 "${settings[@]}" --quiet >/dev/null
    run_and_stop 0 TERM cut.h5
    mpi 2 "$mfgrid" resume cut.h5 --threads 1 --quiet | grep -q "wrote cut.h5" || fail "resume"
    "${compare[@]}" ref.h5 cut.h5
    "$mfgrid" info cut.h5 | grep -q "$days of $days done, complete" || fail "info after resume"
    ;;
  resume_usr1)
    # SIGUSR1 (SLURM's pre-timeout signal) to mpiexec of a 2-rank run, resumed on 3 ranks (on 1
    # where the build tests no 3-rank runs).
    "$mfgrid" run --days "$days" -o ref.h5 "${settings[@]}" --quiet >/dev/null
    run_and_stop 2 USR1 cut.h5
    resume_ranks=1
    may_launch 3 && resume_ranks=3
    mpi "$resume_ranks" "$mfgrid" resume cut.h5.partial --threads 1 --quiet >/dev/null
    "${compare[@]}" ref.h5 cut.h5
    rc=0; "$mfgrid" resume cut.h5 >out.txt 2>&1 || rc=$?
    [[ $rc -eq 2 ]] && grep -q "complete; nothing to resume" out.txt || fail "resumed a complete run"
    ;;
  bad_files)
    "$mfgrid" run --days 8 -o good.h5 "${settings[@]}" --quiet >/dev/null
    expect_error() {  # expect_error PATTERN mfgrid-args…
      local pattern=$1 rc=0; shift
      "$mfgrid" "$@" >out.txt 2>&1 || rc=$?
      [[ $rc -eq 2 ]] && grep -Eq "$pattern" out.txt || { cat out.txt; fail "$* (exit $rc)"; }
    }
    echo "just text" >text.h5
    expect_error "text.h5: not an HDF5 file" info text.h5
    expect_error "text.h5: not an HDF5 file" resume text.h5
    expect_error "missing.h5: no such run file" info missing.h5
    /usr/bin/python3 -c "import h5py; h5py.File('foreign.h5', 'w').create_dataset('x', data=[1])"
    expect_error "foreign.h5: not an mfgrid run file" info foreign.h5
    expect_error "foreign.h5: not an mfgrid run file" resume foreign.h5
    size=$(stat -c %s good.h5)
    cp good.h5 cut.h5 && truncate -s $((size / 2)) cut.h5
    expect_error "cut.h5: cannot open the file .*truncated file" info cut.h5
    cp good.h5 cut.h5.partial && truncate -s $((size - 100)) cut.h5.partial
    expect_error "cut.h5.partial: .*truncated" resume cut.h5.partial
    # A run of an older format is read but not continued (its layout is not this writer's).
    cp good.h5 old.h5.partial
    /usr/bin/python3 -c "import h5py; f = h5py.File('old.h5.partial', 'a'); f.attrs['complete'] = 0; f.attrs['format_version'] = 1"
    expect_error "old.h5.partial: was written in run-file format 1 by mfgrid .*cannot continue it" resume old.h5
    # Flipped bits: either the damage is reported, or it fell in unused space and every dataset
    # and attribute reads exactly as before. Never a crash, never a silently different number.
    detected=0 harmless=0
    for i in $(seq 0 39); do
      pos=$(( i < 4 ? 8 * i + 8 : (i * 104729 + 31) % size ))
      cp good.h5 flip.h5
      /usr/bin/python3 - "$pos" <<'EOF'
import sys
pos = int(sys.argv[1])
with open("flip.h5", "r+b") as f:
    f.seek(pos); b = f.read(1); f.seek(pos); f.write(bytes([b[0] ^ 0x10]))
EOF
      rc=0; "$mfgrid" info --verify flip.h5 >out.txt 2>&1 || rc=$?
      case $rc in
        2) grep -q "flip.h5" out.txt || fail "error without the path: $(cat out.txt)"
           detected=$((detected + 1)) ;;
        0) "${compare[@]}" --skip /none -- good.h5 flip.h5 >/dev/null ||
             fail "bit flip at $pos changed data without an error"
           diff <(h5dump -A good.h5 | tail -n +2) <(h5dump -A flip.h5 | tail -n +2) >/dev/null ||
             fail "bit flip at $pos changed an attribute without an error"
           harmless=$((harmless + 1)) ;;
        *) fail "bit flip at $pos: exit $rc (crash?)" ;;
      esac
    done
    echo "bit flips: $detected detected, $harmless in unused space"
    # Attribute text lives in HDF5's global heap, which has no checksum of its own: a flipped bit in
    # a description is caught by the file's metadata checksum.
    cp good.h5 words.h5
    /usr/bin/python3 - <<'EOF'
with open("words.h5", "r+b") as f:
    data = f.read()
    at = data.find(b"global id of the sampled agent")
    assert at > 0, "the description is not in the file"
    f.seek(at + 3); f.write(bytes([data[at + 3] ^ 0x01]))
EOF
    expect_error "words.h5: attribute text or dimension lists are damaged" info --verify words.h5
    # And flips where the data and the structure certainly are: inside a chunk of /market/lmp
    # (Fletcher-32) and inside its object header (the header's checksum).
    for where in chunk header; do
      cp good.h5 "$where.h5"
      /usr/bin/python3 - "$where" <<'EOF'
import sys
import h5py
where = sys.argv[1]
with h5py.File(f"{where}.h5", "r") as f:
    ds = f["market/lmp"]
    at = ds.id.get_chunk_info(0).byte_offset + 20 if where == "chunk" else h5py.h5o.get_info(ds.id).addr + 12
with open(f"{where}.h5", "r+b") as f:
    f.seek(at); b = f.read(1); f.seek(at); f.write(bytes([b[0] ^ 0x04]))
EOF
      expect_error "$where.h5: " info --verify "$where.h5"
    done
    ;;
  xarray)
    # Coordinates a netCDF reader understands: every group's dimensions by name, the day as a CF
    # time from time.start_date, periods by their start. Checked against the raw datasets (h5py)
    # and the scenario's own numbers.
    "$mfgrid" run --days 6 -o x.h5 "${settings[@]}" --set time.start_date=2024-02-27 \
      --set time.periods=8 --set output.dump_state=true --set leader.warmup_days=0 \
      --set leader.update_every_days=2 --quiet >/dev/null
    MPLBACKEND=Agg /usr/bin/python3 - <<'EOF'
import h5py
import netCDF4
import numpy as np
import xarray as xr
with h5py.File("x.h5", "r") as h:
    assert h.attrs["seed"] == 1 and "scenario" in h.attrs and h.attrs["complete"] == 1
    assert h.attrs["format_version"] == 3 and h.attrs["Conventions"] == "CF-1.8"
    assert [d[0].name.split("/")[-1] for d in h["market/lmp"].dims] == ["day", "period", "bus"]
    assert h["bus"].attrs["labels"] == "b1, b2, b3"
    groups = [g.decode() for g in h["group"][()]]
    eei = h["outcome/eei"][()]
    lmp = h["market/lmp"][()]
    days = h["day"][()]
    # A day's tariff row is the tariff in force that day, also on a day that ends a leader
    # window (after which the next one is posted): the one the window evaluated.
    window_end = h["leader/day"][()]
    assert len(window_end) == 3, window_end
    for k, d in enumerate(window_end):
        assert (h["tariff/theta"][d] == h["leader/theta"][k]).all(), (d, k)
        assert d + 1 == 6 or (h["tariff/theta"][d + 1] == h["leader/next_theta"][k]).all(), (d, k)
    for name, units in [("soc_kwh", "kWh"), ("pv_kw", "kW"), ("demand_factor", "1")]:
        assert h["agents/state/" + name].attrs["units"] == units, name
for engine in ("h5netcdf", "netcdf4"):
    m = xr.open_dataset("x.h5", engine=engine, group="market")
    assert m["lmp"].dims == ("day", "period", "bus"), m["lmp"].dims
    assert m["lmp"].attrs["units"] == "$/MWh"
    assert m.sizes["day"] == 6
    assert list(m["bus"].values) == ["b1", "b2", "b3"], m["bus"].values
    assert list(m["period"].values) == ["00:00", "03:00", "06:00", "09:00", "12:00", "15:00",
                                        "18:00", "21:00"], m["period"].values
    np.testing.assert_array_equal(m["lmp"].sel(bus="b2", period="18:00").values, lmp[:, 6, 1])
    # Day d is 2024-02-27 + d days (through the leap day), each period's start after it.
    expected = np.datetime64("2024-02-27") + days.astype("timedelta64[D]")
    np.testing.assert_array_equal(m["time"].values, expected.astype("datetime64[ns]"))
    assert str(m["time"].values[2])[:10] == "2024-02-29"
    starts = (m["time"] + m["period_start"]).values
    assert str(starts[1, 6])[:16] == "2024-02-28T18:00", starts[1, 6]
    f = xr.open_dataset("x.h5", engine=engine, group="followers")
    assert f["policy"].dims == ("iteration", "class", "period", "soc_bin", "action")
    assert f["policy"]["class"].size == f.sizes["class"]
    o = xr.open_dataset("x.h5", engine=engine, group="outcome")
    assert o["eei"].dims == ("day", "group")
    for k, name in enumerate(groups):
        np.testing.assert_array_equal(o["eei"].sel(group=name).values, eei[:, k])
# netCDF-C itself (through netCDF4): every group opens, its variables read.
with netCDF4.Dataset("x.h5") as n:
    for g in n.groups.values():
        for v in g.variables.values():
            v[...]
    assert list(n["outcome"]["group"][:]) == groups
print("xarray (h5netcdf, netCDF4), netCDF-C and h5py read the coordinates")
EOF
    # info --json: the facts of the text, as JSON, equal to the file's values.
    "$mfgrid" info --json x.h5 >info.json
    /usr/bin/python3 - <<'EOF'
import json
import h5py
info = json.load(open("info.json"))
with h5py.File("x.h5", "r") as h:
    groups = [g.decode() for g in h["group"][()]]
    assert info["state"] == "complete" and info["days_done"] == 6 == info["days"], info
    assert info["seed"] == 1 and info["format_version"] == 3, info
    assert info["eei_last_day"] == dict(zip(groups, h["outcome/eei"][-1].tolist())), info
    assert info["inequality"] == h["outcome/inequality"][-1], info
    assert info["followers"]["updates"] == len(h["iteration"]), info
    assert info["checkpoint_after_day"] == 5 and info["in_use_by"] is None, info
print("info --json agrees with the file")
EOF
    ;;
  keep_checkpoint)
    # output.keep_checkpoint = false: a complete run's file is rewritten without /checkpoint, its
    # space reclaimed and everything else as the kept file has it; the same file on 1 and 2 ranks;
    # info, the Python package, xarray and netCDF read it; resume refuses it. A run stopped by
    # SIGTERM keeps its checkpoint and resumes to the file of an uninterrupted run, and a copy
    # that cannot be made leaves the file with its checkpoint, and a warning.
    drop=(--set output.keep_checkpoint=false)
    mpi 1 "$mfgrid" run --days 12 -o kept.h5 "${settings[@]}" --quiet >/dev/null
    mpi 1 "$mfgrid" run --days 12 -o d1.h5 "${settings[@]}" "${drop[@]}" --quiet >/dev/null
    mpi 2 "$mfgrid" run --days 12 -o d2.h5 "${settings[@]}" "${drop[@]}" --quiet >/dev/null
    for f in d1.h5.partial d1.h5.partial.compact d1.h5.lock; do
      [[ ! -e $f ]] || fail "$f left behind"
    done
    "${compare[@]}" d1.h5 d2.h5
    "${compare[@]}" --skip /checkpoint /perf /rank -- kept.h5 d1.h5
    if "${compare[@]}" kept.h5 d1.h5 >/dev/null; then fail "the dropped checkpoint went unseen"; fi
    "$mfgrid" info --verify d1.h5 | grep -q "every checksum correct" || fail "info --verify"
    "$mfgrid" info d1.h5 | grep -q "12 of 12 done, complete (its checkpoint dropped at the end" ||
      fail "info does not say the checkpoint was dropped"
    "$mfgrid" info --json d1.h5 | grep -q '"checkpoint_dropped": true' || fail "info --json"
    rc=0; "$mfgrid" resume d1.h5 >out.txt 2>&1 || rc=$?
    [[ $rc -eq 2 ]] && grep -q "complete; nothing to resume (and its checkpoint was dropped" out.txt ||
      { cat out.txt; fail "resume of a run without its checkpoint (exit $rc)"; }
    PYTHONPATH="$src/python" /usr/bin/python3 - <<'EOF'
import os
import h5py
import mfgrid
import netCDF4
import xarray as xr

with h5py.File("kept.h5", "r") as k, h5py.File("d1.h5", "r") as d:
    assert "checkpoint" in k and "checkpoint" not in d and "checkpoint_next" not in d
    assert d.attrs["complete"] == 1 and d.attrs["checkpoint_dropped"] == 1, dict(d.attrs)
    assert "checkpoint_day" not in d.attrs and "checkpoint_dropped" not in k.attrs
    # Smaller by at least what the checkpoint stores (the copy leaves no free space behind).
    stored = []
    k["checkpoint"].visititems(
        lambda _, o: stored.append(o.id.get_storage_size()) if isinstance(o, h5py.Dataset) else None)
    kept, dropped = os.path.getsize("kept.h5"), os.path.getsize("d1.h5")
    assert dropped + sum(stored) <= kept, (dropped, sum(stored), kept)
    # The same links and objects: a scale a group links is one object, as in the run file.
    addr = lambda f, name: h5py.h5o.get_info(f[name].id).addr
    for name in ("market/day", "outcome/group", "followers/iteration", "agents/agent_sample"):
        root = name.split("/")[1]
        assert addr(d, name) == addr(d, root) and addr(k, name) == addr(k, root), name
    # Dimension lists and their back references name the copies: each dataset's scales by name,
    # and every scale's REFERENCE_LIST leads to datasets whose DIMENSION_LIST leads back.
    names = []
    d.visititems(lambda n, o: names.append(n) if isinstance(o, h5py.Dataset) else None)
    scales = 0
    for n in names:
        ds, ks = d[n], k[n]
        assert [[s.attrs["NAME"] for s in dim.values()] for dim in ds.dims] == \
               [[s.attrs["NAME"] for s in dim.values()] for dim in ks.dims], n
        if "REFERENCE_LIST" in ds.attrs:
            scales += 1
            back = ds.attrs["REFERENCE_LIST"]
            assert len(back) == len(ks.attrs["REFERENCE_LIST"]), n
            for ref, dim in back:
                user = d[ref]
                assert any(addr(d, d[r].name) == addr(d, ds.name)
                           for r in user.attrs["DIMENSION_LIST"][dim]), (n, user.name)
    assert scales >= 10, scales
run, ref = mfgrid.open_run("d1.h5"), mfgrid.open_run("kept.h5")
assert run.groups == ref.groups and "checkpoint" not in run.groups, run.groups
for g in run.groups:
    if g != "perf":
        xr.testing.assert_identical(run[g], ref[g])
with netCDF4.Dataset("d1.h5") as n:
    for g in n.groups.values():
        for v in g.variables.values():
            v[...]
print("the file without its checkpoint reads as the kept one")
EOF
    # Stopped by SIGTERM, it keeps its checkpoint; resumed on 2 ranks, the uninterrupted run's file.
    settings+=("${drop[@]}")
    "$mfgrid" run --days "$days" -o ref.h5 "${settings[@]}" --quiet >/dev/null
    run_and_stop 0 TERM cut.h5
    /usr/bin/python3 -c "import h5py; assert 'checkpoint' in h5py.File('cut.h5.partial', 'r')" ||
      fail "an interrupted run lost its checkpoint"
    mpi 2 "$mfgrid" resume cut.h5 --threads 1 --quiet | grep -q "wrote cut.h5" || fail "resume"
    "${compare[@]}" ref.h5 cut.h5
    /usr/bin/python3 -c "import h5py; assert 'checkpoint' not in h5py.File('cut.h5', 'r')" ||
      fail "the resumed run kept its checkpoint"
    # The copy cannot be made (a directory where it goes): the run completes, with its checkpoint.
    mkdir fb.h5.partial.compact
    "$mfgrid" run --days 4 -o fb.h5 "${settings[@]}" --quiet >/dev/null 2>err.txt ||
      { cat err.txt; fail "a run whose copy failed did not complete"; }
    grep -q "warning: could not write the run file without its checkpoint" err.txt ||
      fail "no warning: $(cat err.txt)"
    "$mfgrid" info fb.h5 | grep -q "4 of 4 done, complete$" || fail "info of the fallback"
    /usr/bin/python3 -c "import h5py; assert 'checkpoint' in h5py.File('fb.h5', 'r')" ||
      fail "the fallback lost the checkpoint"
    ;;
  *) fail "unknown case $case_name" ;;
esac
echo "ok: $case_name"
