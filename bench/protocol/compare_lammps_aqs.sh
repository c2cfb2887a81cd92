#!/bin/sh
# AQS benchmark, amorph vs LAMMPS (issue 5): 2D LJ glass N=10000, shifted force,
# dgamma 1e-4, ftol 1e-8, serial. The glass is LAMMPS's (shared/peers/lammps/lj2d:
# in.lj2d_prep + in.lj2d_nvt + in.lj2d_quench -> lj2d_glass_sf.data).
#   compare_lammps_aqs.sh GLASS_DIR NSTEPS BENCH_BINARY [METHODS...]
# GLASS_DIR holds lj2d_glass_sf.data, in.lj2d_aqs and pot_sf.in. Reports CPU
# time (user+sys) next to wall time: the machine is shared.
# Measured 2026-12-07 (1 thread, 50 steps, the glass made by the three inputs above):
#   LAMMPS cg 127.7 s, 119,813 force evaluations (2,396 per step, 1.07 ms each);
#   amorph cg 81.5 s, 119,615 (0.68 ms each): 1.57x; lbfgs10+extrap 48.3 s, 60,194
#   (0.80 ms each: the two-loop recursion streams 20 vectors of 160 kB per
#   iteration, ~0.1-0.2 ms): 2.64x.
set -e
dir=$1; n=$2; bin=$(realpath "$3"); shift 3
methods=${*:-"cg lbfgs10+extrap"}
cd "$dir"
/usr/bin/time -f "LAMMPS cg steps $n wall %e s cpu %U+%S s" \
  lmp -in in.lj2d_aqs -var minstyle cg -var pot sf -var nstrain "$n" -log aqs_cg_$n.log -screen none
grep -E "Iterations, force evaluations" aqs_cg_$n.log | awk '{e += $6} END {print "LAMMPS force evaluations", e, "(" e/NR " per step)"}'
for m in $methods; do
  /usr/bin/time -f "amorph $m wall %e s cpu %U+%S s" "$bin" lj2d_glass_sf.data "$n" "$m" 1e-4 1 | tail -1
done
