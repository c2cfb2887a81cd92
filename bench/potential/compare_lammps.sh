#!/usr/bin/env bash
# bench/potential/compare_lammps.sh — force-evaluation throughput of amorph vs
# LAMMPS on the same configurations (issue 3 "Performance").
#
#   bench/potential/compare_lammps.sh [BENCH_BINARY]
#
# 1. LAMMPS writes the configurations (data files) into $WORK:
#      lj2d        2D binary LJ glass former (Lancon/Falk-Langer), N = 10,000, T = 0.3 liquid
#      cuzr        Cu50Zr50 eam/fs (CuZr_mm.eam.fs), N = 32,000, liquid (3000 K, B2 melted)
#      si_crystal  Si SW diamond 8^3 cells, N = 4,096, ~1000 K
#      si_liquid   Si SW, N = 4,096, melted at 3500 K
# 2. LAMMPS times its force evaluation: the `Pair` time of an NVE run from
#    that data file (energy/virial only on the last step, like an MD step),
#    with its best variant (`-sf opt`: lj/cut/opt, eam/fs/opt; sw has none),
#    on 1 MPI rank and on 2 ranks (vader BTL). Throughput = N * steps / Pair
#    time (for 2 ranks the slowest rank's Pair time).
# 3. bench_potential (Google Benchmark, bench/potential/bench_potential.cpp)
#    evaluates forces + energy on the same atoms with a pre-built Verlet list
#    (same skin as LAMMPS) with 1 and 2 oneTBB threads.
# 4. Prints atom-evaluations per second and the ratio amorph / LAMMPS.
#
# BENCH_BINARY defaults to build/bench/bench_potential (CMake -DAMORPH_BUILD_BENCH=ON);
# when absent it is compiled here with g++ -O3 (as the Release build does).
# Skins: 0.3 sigma (LJ), 2.0 A (CuZr), 1.0 A (Si), as shared/peers/lammps/.
# Environment: WORK (scratch directory, default a mktemp dir), STEPS_SCALE
# (multiply the timed step counts, default 1), KEEP=1 keeps $WORK.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${1:-$root/build/bench/bench_potential}"
WORK="${WORK:-$(mktemp -d /tmp/amorph_potential_bench.XXXXXX)}"
scale="${STEPS_SCALE:-1}"
pot=/usr/share/lammps/potentials
mpi=(mpirun --allow-run-as-root -np 2 --mca pml ob1 --mca btl self,vader --mca btl_vader_single_copy_mechanism none)
mkdir -p "$WORK"
cd "$WORK"
[[ "${KEEP:-0}" == 1 ]] || trap 'rm -rf "$WORK"' EXIT

if [[ ! -x "$bin" ]]; then
    echo "# compiling bench_potential (g++ -O3) ..." >&2
    bin="$WORK/bench_potential"
    g++ -O3 -DNDEBUG -std=c++20 -I"$root/include" -I/usr/include/eigen3 "$here/bench_potential.cpp" \
        -o "$bin" -lbenchmark -ltbb -lpthread
fi

lj_pair='pair_style lj/cut 2.5
pair_coeff 1 1 0.5 0.61803398874989479 1.545084971874737
pair_coeff 2 2 0.5 1.1755705045849463 2.9389262614623659
pair_coeff 1 2 1 1 2.5'
cuzr_pair="pair_style eam/fs
pair_coeff * * $pot/CuZr_mm.eam.fs Cu Zr"
si_pair="pair_style sw
pair_coeff * * $pot/Si.sw Si"

# ---------------------------------------------------------------- configurations
echo "# writing configurations with LAMMPS in $WORK" >&2
cat > make_lj2d.in <<EOF2
units lj
dimension 2
atom_style atomic
boundary p p p
region box block 0 98.8045 0 98.8045 -0.5 0.5
create_box 2 box
create_atoms 1 random 5528 12345 NULL
create_atoms 2 random 4472 67890 NULL
mass * 1.0
pair_style soft 1.12
pair_coeff * * 0.0
variable A equal ramp(0.0,50.0)
fix push all adapt 1 pair soft a * * v_A
fix lang all langevin 1.0 1.0 0.1 4711
fix nve all nve/limit 0.05
fix 2d all enforce2d
run 1000
unfix push
unfix lang
unfix nve
$lj_pair
neighbor 0.3 bin
velocity all create 0.3 1 dist gaussian mom yes
fix 1 all nvt temp 0.3 0.3 0.5
run 1000
write_data lj2d.data nocoeff
EOF2
cat > make_cuzr.in <<EOF2
units metal
atom_style atomic
boundary p p p
lattice custom 3.26 a1 1 0 0 a2 0 1 0 a3 0 0 1 basis 0.0 0.0 0.0 basis 0.5 0.5 0.5
region box block 0 20 0 20 0 40
create_box 2 box
create_atoms 2 box basis 1 1 basis 2 2
mass 1 63.546
mass 2 91.224
$cuzr_pair
neighbor 2.0 bin
timestep 0.002
velocity all create 6000.0 4928459 dist gaussian mom yes
fix 1 all nvt temp 3000.0 3000.0 0.2
run 300
write_data cuzr.data nocoeff
EOF2
cat > make_si.in <<EOF2
units metal
atom_style atomic
boundary p p p
lattice diamond 5.431
region box block 0 8 0 8 0 8
create_box 1 box
create_atoms 1 box
mass 1 28.0855
$si_pair
neighbor 1.0 bin
timestep 0.001
velocity all create 2000.0 5287287 dist gaussian mom yes
fix 1 all nve
run 500
write_data si_crystal.data nocoeff
unfix 1
fix 2 all nvt temp 3500.0 3500.0 0.1
run 3000
write_data si_liquid.data nocoeff
EOF2
for c in lj2d cuzr si; do
    if [[ ! -f "$c.done" ]]; then
        lmp -sf opt -in "make_$c.in" -screen none -log "make_$c.log" > /dev/null || { echo "LAMMPS failed: $WORK/make_$c.log" >&2; exit 1; }
        touch "$c.done"
    fi
done

# ---------------------------------------------------------------- LAMMPS timing
time_lammps() {  # name units dim skin steps dt pair_lines ranks
    local name=$1 units=$2 dim=$3 skin=$4 steps=$5 dt=$6 pair=$7 ranks=$8
    local extra=""
    [[ "$dim" == 2 ]] && extra="fix 2d all enforce2d"
    cat > "time_$name.in" <<EOF2
units $units
dimension $dim
atom_style atomic
boundary p p p
read_data $name.data
$pair
neighbor $skin bin
neigh_modify delay 0 every 1 check yes
timestep $dt
fix 1 all nve
$extra
thermo $steps
run $steps
EOF2
    local log="time_${name}_np$ranks.log"
    if [[ "$ranks" == 1 ]]; then
        lmp -sf opt -in "time_$name.in" -screen none -log "$log" > "$log.out" 2>&1 || { echo "LAMMPS failed: $WORK/$log" >&2; exit 1; }
    else
        "${mpi[@]}" lmp -sf opt -in "time_$name.in" -screen none -log "$log" > "$log.out" 2>&1 || { echo "LAMMPS failed: $WORK/$log" >&2; exit 1; }
    fi
    # N * steps / (Pair time of the slowest rank): "Pair | min | avg | max | %varavg | %total"
    awk -v steps="$steps" '/^Loop time of/ {n=$(NF-1)} /^Pair +\|/ {t=$7} END {if (t > 0) printf "%.6e\n", n*steps/t; else exit 1}' "$log"
}

declare -A lmp1 lmp2
cases=("lj2d lj 2 0.3 $((2000*scale)) 0.005" "cuzr metal 3 2.0 $((40*scale)) 0.002"
       "si_crystal metal 3 1.0 $((400*scale)) 0.001" "si_liquid metal 3 1.0 $((200*scale)) 0.001")
for c in "${cases[@]}"; do
    read -r name units dim skin steps dt <<< "$c"
    case $name in lj2d) p="$lj_pair" ;; cuzr) p="$cuzr_pair" ;; *) p="$si_pair" ;; esac
    echo "# LAMMPS $name ($steps steps) ..." >&2
    lmp1[$name]=$(time_lammps "$name" "$units" "$dim" "$skin" "$steps" "$dt" "$p" 1) || exit 1
    lmp2[$name]=$(time_lammps "$name" "$units" "$dim" "$skin" "$steps" "$dt" "$p" 2) || exit 1
done

# ---------------------------------------------------------------- amorph timing
echo "# amorph bench_potential ..." >&2
AMORPH_POTENTIAL_BENCH_DATA="$WORK" "$bin" --benchmark_min_time=2 --benchmark_format=json > amorph.json

python3 - "$WORK/amorph.json" "${lmp1[lj2d]}" "${lmp2[lj2d]}" "${lmp1[cuzr]}" "${lmp2[cuzr]}" \
    "${lmp1[si_crystal]}" "${lmp2[si_crystal]}" "${lmp1[si_liquid]}" "${lmp2[si_liquid]}" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
lmp = [float(x) for x in sys.argv[2:]]
names = [("BM_lj2d", "2D LJ N=10,000 (lj/cut)"), ("BM_cuzr_eamfs", "Cu50Zr50 eam/fs N=32,000 liquid"),
         ("BM_si_sw_crystal", "Si SW N=4,096 crystal"), ("BM_si_sw_liquid", "Si SW N=4,096 liquid")]
rate = {}
for b in d["benchmarks"]:
    rate[b["name"]] = b["atom_evals_per_s"]
import os
print(f"# load average: {open('/proc/loadavg').read().split()[:3]} on {os.cpu_count()} CPUs")
print(f"{'case':34s} {'thr':>3s} {'LAMMPS atom-evals/s':>20s} {'amorph atom-evals/s':>20s} {'ratio':>7s}")
for k, (bm, label) in enumerate(names):
    for t in (1, 2):
        a = rate.get(f"{bm}/threads:{t}/real_time")
        l = lmp[2 * k + (t - 1)]
        print(f"{label:34s} {t:3d} {l:20.4g} {a:20.4g} {a / l:7.2f}")
PY
