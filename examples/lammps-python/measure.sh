#!/usr/bin/env bash
# examples/lammps-python/measure.sh OUT — the runs README.md reports: the AQS of a
# generated 2D LJ glass driven by LAMMPS from Python, amorph analysing in memory,
# at 10^5 and 10^6 atoms on 2 MPI ranks. At 10^6 every minimization is capped
# (the glass's first at 1,500 iterations, each strain step's at 500, ftol 1e-6):
# at ~60 ms per force evaluation a converged 10^6-atom AQS step takes longer than
# this 2-core machine has; the analysis times do not depend on it. Each run
# writes OUT/<atoms>_np<ranks>/summary.json; make_table.py turns them into the
# README's table. Needs the Python package on PYTHONPATH (BUILD/python or the installed one).
set -euo pipefail
out=${1:?usage: measure.sh OUT}
here=$(cd "$(dirname "$0")" && pwd)
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi=(mpirun --oversubscribe --mca pml ob1 --mca btl self,vader --mca btl_vader_single_copy_mechanism none)
run() {  # ranks atoms args...
  local np=$1 n=$2; shift 2
  local dir="$out/${n}_np${np}"
  [[ -f $dir/summary.json ]] && { echo "done: $dir"; return; }
  "${mpi[@]}" -np "$np" /usr/bin/python3 "$here/aqs_d2min_sf.py" "$dir" --atoms "$n" "$@"
}
run 2 100000 --strain-steps 5 --anneal-steps 2000
run 2 1000000 --strain-steps 2 --anneal-steps 500 --ftol 1e-6 --prep-max-iterations 1500 --max-iterations 500
