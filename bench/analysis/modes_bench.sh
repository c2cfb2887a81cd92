#!/usr/bin/env bash
# bench/analysis/modes_bench.sh — time and memory of the lowest 1 % of the
# normal modes (`amorph modes --fraction 0.01`) by each solver, on 2 threads,
# for Cu50Zr50 glasses (CuZr_mm.eam.fs, made by LAMMPS) and 2D binary LJ
# glasses (lj2d-sf, made by amorph).
#
#   bench/analysis/modes_bench.sh AMORPH_EXE WORK [CASE...]
#
# CASE is one of
#   cuzr:NAME:NX:NY:NZ:SOLVERS  B2 cells of a = 3.26 A (2 atoms each); LAMMPS on
#                               2 MPI ranks: 4000 K velocities, 5 ps NPT at
#                               2000 K, 20 ps NPT quench to 300 K, CG to ftol 1e-8
#   lj2d:NAME:N:SOLVERS         amorph sample lj2d -n N, NVT at T = 0.4 for 20 tau,
#                               quench to T = 0.05 over 40 tau, CG to ftol 1e-10
# SOLVERS is a comma-separated list of dense, shift-invert, lanczos. Default:
#   cuzr:2k:10:10:10:shift-invert,lanczos,dense cuzr:10k:10:20:25:lanczos
#   lj2d:2d10k:10000:shift-invert,lanczos
# Each `amorph modes` runs under /usr/bin/time -v (wall time, peak resident
# memory); its report gives the Hessian and eigensolver times. Writes
# WORK/summary.json (one row per case and solver, the machine, threads, date)
# and prints a table. Stages are skipped when their output exists.
set -euo pipefail
exe=$(realpath "$1")
work=$2
shift 2
cases=("$@")
[[ ${#cases[@]} -eq 0 ]] && cases=("cuzr:2k:10:10:10:shift-invert,lanczos,dense" "cuzr:10k:10:20:25:lanczos"
                                   "lj2d:2d10k:10000:shift-invert,lanczos")
mkdir -p "$work"
cd "$work"
pot=/usr/share/lammps/potentials/CuZr_mm.eam.fs

for c in "${cases[@]}"; do
  IFS=: read -r -a f <<<"$c"
  kind=${f[0]} name=${f[1]}
  if [[ $kind == cuzr ]]; then
    solvers=${f[5]}
    model=(--species Cu,Zr --preset cuzr-mendelev)
    if [[ ! -f glass_$name.data ]]; then
      cat >in.glass_$name <<EOF
units metal
atom_style atomic
boundary p p p
lattice custom 3.26 a1 1 0 0 a2 0 1 0 a3 0 0 1 basis 0.0 0.0 0.0 basis 0.5 0.5 0.5
region box block 0 ${f[2]} 0 ${f[3]} 0 ${f[4]}
create_box 2 box
create_atoms 2 box basis 1 1 basis 2 2
mass 1 63.546
mass 2 91.224
pair_style eam/fs
pair_coeff * * $pot Cu Zr
neighbor 2.0 bin
timestep 0.002
velocity all create 4000.0 4928459 dist gaussian mom yes
fix 1 all npt temp 2000.0 2000.0 0.2 iso 0.0 0.0 2.0
run 2500
unfix 1
fix 1 all npt temp 2000.0 300.0 0.2 iso 0.0 0.0 2.0
run 10000
unfix 1
min_style cg
minimize 0 1.0e-8 100000 1000000
write_data glass_$name.data
EOF
      mpirun --allow-run-as-root -np 2 lmp -in in.glass_$name -log log.glass_$name >/dev/null
    fi
  elif [[ $kind == lj2d ]]; then
    solvers=${f[3]}
    model=(--preset lj2d-sf)
    if [[ ! -f glass_$name.data ]]; then
      "$exe" sample lj2d -n "${f[2]}" --seed 7 -o start_$name.data --quiet
      "$exe" md start_$name.data "${model[@]}" --ensemble nvt --temp 0.4 --seed 1 --steps 4000 --quiet \
        -o liquid_$name.data > /dev/null
      printf 'temperature 0.4\nramp 0.05 time 40\n' > quench_$name.txt
      "$exe" quench liquid_$name.data "${model[@]}" --schedule quench_$name.txt --quiet -o quenched_$name.data > /dev/null
      "$exe" minimize quenched_$name.data "${model[@]}" --ftol 1e-10 --maxiter 100000 --maxeval 1000000 --quiet \
        -o glass_$name.data > /dev/null
    fi
  else
    echo "modes_bench.sh: unknown case kind '$kind' (cuzr, lj2d)" >&2
    exit 2
  fi
  IFS=, read -r -a list <<<"$solvers"
  for s in "${list[@]}"; do
    out=modes_${name}_$s
    [[ -f $out.txt ]] && continue
    /usr/bin/time -v "$exe" modes glass_$name.data "${model[@]}" --fraction 0.01 --solver "$s" --threads 2 --quiet \
      --eigenvalues $out.npy -o $out.xyz >$out.txt 2>$out.time
  done
done

/usr/bin/python3 - "${cases[@]}" <<'EOF'
import datetime, json, os, platform, re, sys
import numpy as np
rows = []
for c in sys.argv[1:]:
    f = c.split(":")
    name, solvers = f[1], f[-1]
    for s in solvers.split(","):
        out = f"modes_{name}_{s}"
        rep, tim = open(out + ".txt").read(), open(out + ".time").read()
        def val(key):
            m = re.search(rf"^{re.escape(key)}\s+(\S+)", rep, re.M)
            return float(m.group(1)) if m else None
        wall = [float(x) for x in re.search(r"Elapsed \(wall clock\) time.*: (\S+)", tim).group(1).split(":")]
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", tim).group(1))
        ev = np.load(out + ".npy")
        z = int(val("zero modes"))
        rows.append(dict(case=name, model=f[0], atoms=int(val("atoms")), dof=int(val("degrees of freedom")), solver=s,
                         modes=int(val("modes")), hessian_nonzeros=int(val("Hessian non-zeros")),
                         hessian_s=val("Hessian time"), eigensolver_s=val("eigensolver time"),
                         wall_s=sum(p * 60 ** k for k, p in enumerate(reversed(wall))), peak_rss_mib=rss / 1024,
                         lowest_omega2=float(ev[z]), highest_omega2=float(ev[-1]),
                         force_max=val("force max component")))
# the solvers agree: largest difference of the non-zero eigenvalues to the case's first solver, relative to its largest
for name in dict.fromkeys(r["case"] for r in rows):
    group = [r for r in rows if r["case"] == name]
    ref = np.load(f"modes_{name}_{group[0]['solver']}.npy")
    for r in group:
        ev = np.load(f"modes_{name}_{r['solver']}.npy")
        r["max_rel_diff_to_" + group[0]["solver"]] = float(np.max(np.abs(ev - ref)) / np.max(np.abs(ref)))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
json.dump(dict(command="bench/analysis/modes_bench.sh", date=datetime.date.today().isoformat(), threads=2, cpu=cpu,
               cores=os.cpu_count(), rows=rows), open("summary.json", "w"), indent=1)
print(f"{'case':>6} {'atoms':>6} {'solver':>13} {'modes':>5} {'nnz(H)':>11} {'H s':>6} {'eig s':>8} {'wall s':>8} "
      f"{'peak MiB':>9} {'lowest w2':>10}")
for r in rows:
    print(f"{r['case']:>6} {r['atoms']:>6} {r['solver']:>13} {r['modes']:>5} {r['hessian_nonzeros']:>11} "
          f"{r['hessian_s']:>6.2f} {r['eigensolver_s']:>8.1f} {r['wall_s']:>8.1f} {r['peak_rss_mib']:>9.0f} "
          f"{r['lowest_omega2']:>10.4g}")
EOF
