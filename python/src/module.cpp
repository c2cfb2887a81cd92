// python/src/module.cpp — the `amorph` Python module (pybind11, Debian
// pybind11-dev): amorph's systems, file formats, force fields and analyses on
// numpy arrays.
//
// Why pybind11: the binding layer is not the point of the project, and
// pybind11 is the well-kept, header-only way to expose C++ types, numpy arrays
// (zero copy where the layout allows) and exceptions to CPython.
//
// Layout conventions (the same as the library's, stated in each docstring):
//   positions, velocities, forces  (N, D) float64 views of the system's D x N
//                                  column-major storage: no copy, writable
//   types   (N,) int32 view: 0-based index into `species` (LAMMPS type - 1)
//   ids     (N,) int64 view
//   cell    (D, D) copy: columns are the cell vectors (LAMMPS's h matrix)
// Every computation releases the GIL; oneTBB's thread count follows
// amorph.set_num_threads(). amorph's errors become ValueError
// (invalid_argument, parse_error), OSError (io_error), NotImplementedError
// (unsupported) or RuntimeError, with the same one-line message as the CLI.
#include <amorph/analysis/bonds.hpp>
#include <amorph/analysis/d2min.hpp>
#include <amorph/analysis/flexibility.hpp>
#include <amorph/analysis/modes.hpp>
#include <amorph/analysis/rdf.hpp>
#include <amorph/analysis/voronoi.hpp>
#include <amorph/core/error.hpp>
#include <amorph/core/system.hpp>
#include <amorph/core/units.hpp>
#include <amorph/descriptor/sdm.hpp>
#include <amorph/descriptor/structure_functions.hpp>
#include <amorph/dynamics/any_force_field.hpp>
#include <amorph/dynamics/cg.hpp>
#include <amorph/dynamics/fire.hpp>
#include <amorph/dynamics/kinetic.hpp>
#include <amorph/dynamics/lbfgs.hpp>
#include <amorph/dynamics/minimize.hpp>
#include <amorph/dynamics/nose_hoover.hpp>
#include <amorph/dynamics/observer.hpp>
#include <amorph/dynamics/run.hpp>
#include <amorph/dynamics/velocity.hpp>
#include <amorph/protocol/aqs.hpp>
#include <amorph/protocol/deformation.hpp>
#include <amorph/protocol/vibration.hpp>
#include <amorph/io/io.hpp>
#include <amorph/learn/model.hpp>
#include <amorph/learn/sdm_cnn.hpp>
#include <amorph/learn/softness.hpp>
#include <amorph/potential/factory.hpp>
#include <amorph/potential/hessian.hpp>
#include <amorph/potential/presets.hpp>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <tbb/global_control.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <variant>
#include <vector>

namespace py = pybind11;

namespace amorph::python {

using any_system = std::variant<amorph::system<2>, amorph::system<3>>;

/// The Python-side system: a 2D or 3D amorph::system.
struct py_system {
    any_system s;

    int dim() const { return s.index() == 0 ? 2 : 3; }
    std::size_t size() const {
        return std::visit([](const auto& x) { return x.size(); }, s);
    }
    template <class F>
    decltype(auto) visit(F&& f) {
        return std::visit(std::forward<F>(f), s);
    }
    template <class F>
    decltype(auto) visit(F&& f) const {
        return std::visit(std::forward<F>(f), s);
    }
};

/// A (N, D) float64 view of a D x N column-major matrix owned by `owner`.
template <int D>
py::array coords_view(coords<D>& m, py::handle owner) {
    const auto n = static_cast<py::ssize_t>(m.cols());
    return py::array_t<double>({n, static_cast<py::ssize_t>(D)},
                               {static_cast<py::ssize_t>(D * sizeof(double)), static_cast<py::ssize_t>(sizeof(double))},
                               m.data(), owner);
}

/// Copy a (N, D) array into a D x N matrix, checking the shape.
template <int D>
coords<D> coords_from(const py::array_t<double, py::array::c_style | py::array::forcecast>& a, std::size_t n,
                      const char* what) {
    if (a.ndim() != 2 || a.shape(1) != D || static_cast<std::size_t>(a.shape(0)) != n)
        throw invalid_argument(std::string(what) + ": expected an array of shape (" + std::to_string(n) + ", " +
                               std::to_string(D) + "), got " + [&] {
                                   std::string s = "(";
                                   for (py::ssize_t k = 0; k < a.ndim(); ++k) s += (k ? ", " : "") + std::to_string(a.shape(k));
                                   return s + ")";
                               }());
    coords<D> m(D, static_cast<Eigen::Index>(n));
    std::copy(a.data(), a.data() + n * D, m.data());
    return m;
}

template <int D>
mat<D> cell_from(const py::array_t<double, py::array::c_style | py::array::forcecast>& a) {
    if (a.ndim() != 2 || a.shape(0) != D || a.shape(1) != D)
        throw invalid_argument("cell: expected a (" + std::to_string(D) + ", " + std::to_string(D) +
                               ") array whose columns are the cell vectors");
    mat<D> h;
    for (int r = 0; r < D; ++r)
        for (int c = 0; c < D; ++c) h(r, c) = a.at(r, c);
    return h;
}

template <int D>
py::array_t<double> cell_to(const mat<D>& h) {
    py::array_t<double> a({D, D});
    auto m = a.mutable_unchecked<2>();
    for (int r = 0; r < D; ++r)
        for (int c = 0; c < D; ++c) m(r, c) = h(r, c);
    return a;
}

template <class T>
py::array_t<T> vector_to(const std::vector<T>& v) {
    py::array_t<T> a(static_cast<py::ssize_t>(v.size()));
    std::copy(v.begin(), v.end(), a.mutable_data());
    return a;
}

template <int D>
amorph::system<D> make_system(const py::array_t<double, py::array::c_style | py::array::forcecast>& cell,
                              const py::array_t<double, py::array::c_style | py::array::forcecast>& positions,
                              const py::array_t<int, py::array::c_style | py::array::forcecast>& types,
                              const std::optional<std::vector<std::string>>& species,
                              const std::optional<py::array_t<double, py::array::c_style | py::array::forcecast>>& charges,
                              bool pbc, const std::optional<py::array_t<double, py::array::c_style | py::array::forcecast>>& origin,
                              const std::optional<py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>>& ids,
                              const std::optional<py::array_t<double, py::array::c_style | py::array::forcecast>>& velocities) {
    if (positions.ndim() != 2) throw invalid_argument("positions: expected an (N, D) array");
    const auto n = static_cast<std::size_t>(positions.shape(0));
    typename box<D>::flags_t periodic{};
    periodic.fill(pbc);
    vec<D> o = vec<D>::Zero();
    if (origin) {
        if (origin->ndim() != 1 || origin->shape(0) != D) throw invalid_argument("origin: expected " + std::to_string(D) + " numbers");
        for (int k = 0; k < D; ++k) o(k) = origin->at(k);
    }
    amorph::system<D> s(box<D>(cell_from<D>(cell), o, periodic), n);
    s.positions = coords_from<D>(positions, n, "positions");
    if (types.ndim() != 1 || static_cast<std::size_t>(types.shape(0)) != n)
        throw invalid_argument("types: expected " + std::to_string(n) + " integers (0-based species indices)");
    int ntypes = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const int t = types.at(static_cast<py::ssize_t>(i));
        if (t < 0) throw invalid_argument("types: atom " + std::to_string(i) + " has a negative type (types are 0-based)");
        s.types[i] = t;
        ntypes = std::max(ntypes, t + 1);
    }
    std::vector<std::string> names;
    if (species) {
        names = *species;
        if (static_cast<int>(names.size()) < ntypes)
            throw invalid_argument("species: " + std::to_string(names.size()) + " names for " + std::to_string(ntypes) + " types");
    } else {
        for (int t = 0; t < ntypes; ++t) names.push_back(std::to_string(t + 1));
    }
    s.species = species_list::from_names(names);
    if (charges) {
        if (charges->ndim() != 1 || static_cast<std::size_t>(charges->shape(0)) != n)
            throw invalid_argument("charges: expected " + std::to_string(n) + " numbers");
        s.charges.assign(charges->data(), charges->data() + n);
    }
    if (ids) {
        if (ids->ndim() != 1 || static_cast<std::size_t>(ids->shape(0)) != n)
            throw invalid_argument("ids: expected " + std::to_string(n) + " atom ids");
        s.ids.assign(ids->data(), ids->data() + n);
    }
    if (velocities) s.velocities = coords_from<D>(*velocities, n, "velocities");
    s.validate();
    return s;
}

/// The species names of a system, in type order.
template <int D>
std::vector<std::string> species_names(const amorph::system<D>& s) {
    std::vector<std::string> names;
    for (std::size_t t = 0; t < s.species.size(); ++t) names.push_back(s.species[t].name);
    return names;
}

/// A thermo sample as the dict md's callback receives and md returns.
template <int D>
py::dict thermo_dict(const dynamics::thermo_sample<D>& t) {
    py::dict d;
    d["step"] = t.step;
    d["time"] = t.time;
    d["temperature"] = t.temperature;
    d["pe"] = t.potential;
    d["ke"] = t.kinetic;
    d["etotal"] = t.total;
    d["press"] = t.pressure;
    d["volume"] = t.volume;
    d["econserve"] = t.conserved;
    d["pressure_tensor"] = cell_to<D>(t.pressure_tensor);
    return d;
}

// ------------------------------------------------------------------ threads

std::unique_ptr<tbb::global_control>& thread_limit() {
    static std::unique_ptr<tbb::global_control> g;
    return g;
}

void set_num_threads(int n) {
    if (n < 0) throw invalid_argument("set_num_threads: need n >= 0 (0: all cores)");
    thread_limit().reset();
    if (n > 0) thread_limit() = std::make_unique<tbb::global_control>(tbb::global_control::max_allowed_parallelism,
                                                                       static_cast<std::size_t>(n));
}

// ------------------------------------------------------------------ force fields

struct compute_result {
    double energy = 0.0;
    py::array forces, virial, per_atom_energy;
};

struct py_force_field {
    std::string lines;            ///< LAMMPS pair_style / pair_coeff / kspace lines
    const unit_system* units = &units::metal;
    std::string preset;           ///< name when made by preset()

    /// LAMMPS's default neighbor skin of the unit system: 2.0 (metal, real), 0.3 (lj).
    double default_skin() const { return units->name == std::string_view("lj") ? 0.3 : 2.0; }

    /// The force field for `sys` (the potential file's masses given to its
    /// species, as LAMMPS's pair_coeff does; the system takes the units).
    template <int D>
    potential::any_potential potential_for(amorph::system<D>& sys) const {
        if (!preset.empty())
            for (const auto& m : potential::presets::models())
                if (m.name == preset) potential::presets::check_fits(m, D, species_names(sys));
        auto pot = potential::make_potential(potential::parse_pair_commands(lines, "ForceField"),
                                             static_cast<int>(sys.species.size()));
        for (std::size_t t = 0; t < sys.species.size() && t < pot.masses().size(); ++t)
            if (pot.masses()[t] > 0) sys.species[t].mass = pot.masses()[t];
        sys.units = units;
        return pot;
    }

    template <int D>
    dynamics::any_force_field<D> make(amorph::system<D>& sys, double skin, bool wrap) const {
        const auto pot = potential_for<D>(sys);
        dynamics::force_field_options fo;
        fo.wrap = wrap;
        return dynamics::make_any_force_field<D>(pot, skin < 0 ? default_skin() : skin, fo);
    }

    compute_result compute(py_system& ps) const {
        return ps.visit([&](auto& sys) {
            constexpr int D = std::decay_t<decltype(sys)>::dim;
            potential::result<D> r;
            {
                py::gil_scoped_release release;
                auto ff = make<D>(sys, 0.0, false);
                ff.options() = potential::compute_options::all();
                r = ff.compute(sys);
            }
            if (!std::isfinite(r.energy)) throw invalid_argument("ForceField.compute: the energy is not finite");
            compute_result out;
            out.energy = r.energy;
            coords<D> f = r.forces;
            py::array_t<double> fa({static_cast<py::ssize_t>(sys.size()), static_cast<py::ssize_t>(D)});
            std::copy(f.data(), f.data() + f.size(), fa.mutable_data());
            out.forces = fa;
            out.virial = cell_to<D>(r.virial);
            out.per_atom_energy = vector_to(r.energy_per_atom);
            return out;
        });
    }
};

// ------------------------------------------------------------------ Hessian and normal modes

py::object hessian_py(py_system& ps, const py_force_field& f, bool dense) {
    return ps.visit([&](auto& sys) -> py::object {
        constexpr int D = std::decay_t<decltype(sys)>::dim;
        potential::sparse_hessian h;
        {
            py::gil_scoped_release release;
            h = potential::hessian<D>(f.potential_for<D>(sys), sys);
        }
        const auto n = static_cast<py::ssize_t>(h.rows());
        if (dense) {
            py::array_t<double> a({n, n});
            Eigen::Map<Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(a.mutable_data(), n, n) = h;
            return std::move(a);
        }
        const auto nnz = static_cast<py::ssize_t>(h.nonZeros());
        py::array_t<double> data(nnz);
        py::array_t<std::int32_t> indices(nnz), indptr(n + 1);
        std::copy(h.valuePtr(), h.valuePtr() + nnz, data.mutable_data());
        std::copy(h.innerIndexPtr(), h.innerIndexPtr() + nnz, indices.mutable_data());
        std::copy(h.outerIndexPtr(), h.outerIndexPtr() + n + 1, indptr.mutable_data());
        py::object csc;
        try {
            csc = py::module_::import("scipy.sparse").attr("csc_matrix");
        } catch (const py::error_already_set&) {
            throw invalid_argument("hessian: the sparse matrix needs scipy (python3-scipy); or pass dense=True");
        }
        return csc(py::make_tuple(data, indices, indptr), py::make_tuple(n, n));
    });
}

py::dict normal_modes_py(py_system& ps, const py_force_field& f, std::size_t lowest, double fraction,
                         const std::string& solver) {
    return ps.visit([&](auto& sys) {
        constexpr int D = std::decay_t<decltype(sys)>::dim;
        analysis::modes_options mo;
        mo.lowest = lowest;
        mo.fraction = fraction;
        bool periodic = true;
        for (int a = 0; a < D; ++a) periodic = periodic && sys.box.periodic(a);
        mo.zero_modes = periodic ? D : 0;
        if (solver == "dense") mo.solver = analysis::modes_solver::dense;
        else if (solver == "shift-invert") mo.solver = analysis::modes_solver::shift_invert;
        else if (solver == "lanczos") mo.solver = analysis::modes_solver::lanczos;
        else if (solver != "auto")
            throw invalid_argument("normal_modes: solver '" + solver + "' (auto, dense, shift-invert, lanczos)");
        (void)analysis::modes_wanted(mo, static_cast<std::size_t>(D) * sys.size());  // checked before the work
        analysis::normal_modes m;
        std::vector<double> p;
        Eigen::VectorXd pr;
        {
            py::gil_scoped_release release;
            const auto pot = f.potential_for<D>(sys);
            std::vector<double> mass(sys.size());
            for (std::size_t i = 0; i < sys.size(); ++i) mass[i] = sys.mass(i);
            m = analysis::lowest_modes(analysis::dynamical_matrix(potential::hessian<D>(pot, sys), mass, D), mo);
            p = analysis::participation_fraction(m, D);
            pr = analysis::participation_ratio(m, D);
        }
        const auto nm = static_cast<py::ssize_t>(m.eigenvalues.size());
        py::array_t<double> ev(nm), ratio(nm);
        std::copy(m.eigenvalues.data(), m.eigenvalues.data() + nm, ev.mutable_data());
        std::copy(pr.data(), pr.data() + nm, ratio.mutable_data());
        py::array_t<double> vec({nm, static_cast<py::ssize_t>(sys.size()), static_cast<py::ssize_t>(D)});
        std::copy(m.vectors.data(), m.vectors.data() + m.vectors.size(), vec.mutable_data());
        py::dict d;
        d["eigenvalues"] = ev;
        d["vectors"] = vec;
        d["zero_modes"] = m.zero_modes;
        d["solver"] = m.solver;
        d["participation"] = vector_to(p);
        d["participation_ratio"] = ratio;
        return d;
    });
}

// ------------------------------------------------------------------ minimize, md, aqs

dynamics::min_options min_options_from(double ftol, double etol, std::size_t max_iterations, std::size_t max_evaluations) {
    dynamics::min_options mo;
    mo.ftol = ftol;
    mo.etol = etol;
    mo.max_iterations = max_iterations;
    mo.max_evaluations = max_evaluations;
    return mo;
}

/// Call f(minimizer) with the minimizer named `style`.
template <int D, class F>
decltype(auto) with_minimizer(const std::string& style, F&& f) {
    if (style == "cg") return f(dynamics::conjugate_gradient<D>{});
    if (style == "fire") return f(dynamics::fire<D>{});
    if (style == "lbfgs") return f(dynamics::lbfgs<D>{});
    throw invalid_argument("minimizer '" + style + "' is not cg, fire or lbfgs");
}

py::dict min_result_dict(const dynamics::min_result& r) {
    py::dict d;
    d["converged"] = r.converged();
    d["reason"] = r.message;
    d["iterations"] = r.iterations;
    d["evaluations"] = r.evaluations;
    d["energy_initial"] = r.energy_initial;
    d["energy"] = r.energy;
    d["fnorm2"] = r.fnorm2;
    d["fnorm_max"] = r.fnorm_max;
    return d;
}

py::dict minimize_py(py_system& ps, const py_force_field& f, const std::string& style, double ftol, double etol,
                     std::size_t max_iterations, std::size_t max_evaluations, double skin) {
    return ps.visit([&](auto& sys) {
        constexpr int D = std::decay_t<decltype(sys)>::dim;
        dynamics::min_result r;
        {
            py::gil_scoped_release release;
            auto ff = f.make<D>(sys, skin, true);
            const auto mo = min_options_from(ftol, etol, max_iterations, max_evaluations);
            r = with_minimizer<D>(style, [&](const auto& m) { return dynamics::minimize(sys, ff, m, mo); });
            if (sys.has_velocities()) sys.velocities.setZero();
        }
        if (!std::isfinite(r.energy)) throw invalid_argument("minimize: the energy is not finite");
        return min_result_dict(r);
    });
}

/// Calls a Python callable with a thermo dict every `every` steps (GIL taken only then).
template <int D>
struct py_observer {
    py::object callback;
    std::int64_t every = 100;
    py::object system;  ///< the Python System, passed along
    bool wants_virial(std::int64_t step) const { return callback && step % every == 0; }
    void observe(const dynamics::observation<D>& o) {
        if (!callback || o.step % every != 0) return;
        const auto t = o.thermo();
        py::gil_scoped_acquire gil;
        callback(thermo_dict(t), system);
    }
};

py::dict md_py(py::object self, const py_force_field& f, std::int64_t steps, double dt, const std::string& ensemble,
               std::optional<double> temperature, std::optional<double> t_stop, double t_damp, std::optional<double> pressure,
               double p_damp, std::optional<std::uint64_t> seed, py::object callback, std::int64_t every, double skin) {
    auto& ps = self.cast<py_system&>();
    if (steps < 0) throw invalid_argument("md: steps must be >= 0");
    if (every < 1) throw invalid_argument("md: every must be >= 1");
    if (ensemble != "nve" && ensemble != "nvt" && ensemble != "npt")
        throw invalid_argument("md: ensemble '" + ensemble + "' is not nve, nvt or npt");
    if (ensemble != "nve" && !temperature) throw invalid_argument("md: " + ensemble + " needs a temperature");
    if (ensemble == "npt" && !pressure) throw invalid_argument("md: npt needs a pressure");
    return ps.visit([&](auto& sys) {
        constexpr int D = std::decay_t<decltype(sys)>::dim;
        py_observer<D> obs{callback.is_none() ? py::object() : callback, every, self};
        dynamics::thermo_sample<D> last;
        {
            py::gil_scoped_release release;
            auto ff = f.make<D>(sys, skin, true);
            const double step = dt > 0 ? dt : sys.units->dt;
            if (seed) dynamics::create_velocities(sys, temperature.value_or(0.0), *seed);
            if (!sys.has_velocities()) sys.velocities = coords<D>::Zero(D, static_cast<Eigen::Index>(sys.size()));
            struct last_obs {
                dynamics::thermo_sample<D>* out;
                std::int64_t end;
                bool wants_virial(std::int64_t s) const { return s == end; }
                void observe(const dynamics::observation<D>& o) {
                    if (o.step == o.end) *out = o.thermo();
                }
            } tail{&last, steps};
            if (ensemble == "nve") {
                dynamics::md_state<dynamics::velocity_verlet<D>> st;
                dynamics::run(sys, ff, dynamics::velocity_verlet<D>{}, st, {.steps = steps, .dt = step}, obs, tail);
            } else {
                const double t1 = t_stop.value_or(*temperature), td = t_damp > 0 ? t_damp : 100 * step;
                dynamics::nose_hoover_params p = dynamics::nvt(*temperature, t1, td);
                if (ensemble == "npt")
                    p = dynamics::npt(*temperature, t1, td,
                                      dynamics::barostat_params::iso(*pressure, *pressure, p_damp > 0 ? p_damp : 1000 * step));
                dynamics::md_state<dynamics::nose_hoover<D>> st;
                dynamics::run(sys, ff, dynamics::nose_hoover<D>(p), st, {.steps = steps, .dt = step}, obs, tail);
            }
        }
        if (!std::isfinite(last.total)) throw invalid_argument("md: the energy is not finite");
        return thermo_dict(last);
    });
}

template <int D>
protocol::deformation<D> loading_named(const std::string& name) {
    if (name == "shear_xy") return protocol::simple_shear_xy<D>();
    if (name == "-shear_xy") return protocol::simple_shear_xy<D>(-1);
    if (name == "tension_x" || name == "tension_y" || name == "tension_z") {
        const int axis = name.back() - 'x';
        if (axis >= D) throw invalid_argument("aqs: " + name + " needs a 3D system");
        return protocol::tension<D>(axis, false);
    }
    if constexpr (D == 3) {
        if (name.rfind("orientation:", 0) == 0) return protocol::orientation(std::stoi(name.substr(12)));
    }
    throw invalid_argument("aqs: loading '" + name + "' is not shear_xy, -shear_xy, tension_x|y|z or orientation:K (3D, K = 1..24)");
}

py::dict aqs_py(py::object self, const py_force_field& f, double dstrain, double max_strain, const std::string& loading,
                const std::string& style, double ftol, py::object callback, double skin) {
    auto& ps = self.cast<py_system&>();
    return ps.visit([&](auto& sys) {
        constexpr int D = std::decay_t<decltype(sys)>::dim;
        const auto def = loading_named<D>(loading);
        protocol::aqs_options<D> o;
        o.dstrain = dstrain;
        o.max_strain = max_strain;
        o.minimize.ftol = ftol;
        if (!callback.is_none())
            o.on_step = [&](const protocol::aqs_step& st) {
                py::gil_scoped_acquire gil;
                py::dict d;
                d["step"] = st.step;
                d["strain"] = st.strain;
                d["pe"] = st.pe;
                d["tau"] = st.tau;
                d["plastic"] = st.plastic;
                d["evaluations"] = st.evaluations;
                callback(d, self);
            };
        protocol::aqs_result r;
        {
            py::gil_scoped_release release;
            auto ff = f.make<D>(sys, skin, true);
            r = with_minimizer<D>(style, [&](const auto& m) { return protocol::aqs(sys, ff, m, def, o); });
        }
        std::vector<double> strain, pe, tau;
        std::vector<bool> plastic;
        for (const auto& st : r.steps) {
            strain.push_back(st.strain);
            pe.push_back(st.pe);
            tau.push_back(st.tau);
        }
        py::dict d;
        d["strain"] = vector_to(strain);
        d["pe"] = vector_to(pe);
        d["tau"] = vector_to(tau);
        std::vector<std::int64_t> ev(r.events.begin(), r.events.end());
        d["events"] = vector_to(ev);
        d["evaluations"] = r.evaluations;
        return d;
    });
}

void create_velocities_py(py_system& ps, double temperature, std::uint64_t seed) {
    ps.visit([&](auto& sys) { dynamics::create_velocities(sys, temperature, seed); });
}

// ------------------------------------------------------------------ analysis

py::object voronoi_py(const py_system& ps, bool indices) {
    return ps.visit([&](const auto& sys) -> py::object {
        constexpr int D = std::decay_t<decltype(sys)>::dim;
        analysis::voronoi_result<D> r;
        {
            py::gil_scoped_release release;
            r = analysis::voronoi(sys.box, sys.positions);
        }
        auto vol = vector_to(r.volume);
        if (!indices) return vol;
        if constexpr (D == 2) {
            throw invalid_argument("voronoi: Voronoi indices are defined in 3D only");
        } else {
            py::array_t<int> idx({static_cast<py::ssize_t>(sys.size()), py::ssize_t{4}});
            auto m = idx.mutable_unchecked<2>();
            for (std::size_t i = 0; i < sys.size(); ++i) {
                const auto v = r.index(i);
                for (int k = 0; k < 4; ++k) m(static_cast<py::ssize_t>(i), k) = v[static_cast<std::size_t>(k)];
            }
            return py::make_tuple(vol, idx);
        }
    });
}

py::dict rdf_py(const py_system& ps, double rmax, int bins) {
    return ps.visit([&](const auto& sys) {
        analysis::rdf_result r;
        {
            py::gil_scoped_release release;
            r = analysis::rdf(sys.box, sys.positions, sys.types, {rmax, bins});
        }
        py::dict out;
        out["r"] = vector_to(r.r);
        out["g"] = vector_to(r.total);
        py::dict partial;
        for (int a = 0; a < r.species; ++a)
            for (int b = a; b < r.species; ++b)
                partial[py::make_tuple(sys.species[static_cast<std::size_t>(a)].name, sys.species[static_cast<std::size_t>(b)].name)] =
                    vector_to(r.g(a, b));
        out["partial"] = partial;
        return out;
    });
}

py::dict d2min_py(const py_system& ref, const py_system& cur, double cutoff) {
    if (ref.dim() != cur.dim()) throw invalid_argument("d2min: the reference and current systems differ in dimension");
    return ref.visit([&](const auto& r0) {
        using S = std::decay_t<decltype(r0)>;
        const auto& c0 = std::get<S>(cur.s);
        analysis::atomic_strain_result<S::dim> r;
        {
            py::gil_scoped_release release;
            r = analysis::atomic_strain(r0, c0, {cutoff, false});
        }
        py::dict out;
        out["ids"] = vector_to(r.ids);
        out["d2min"] = vector_to(r.d2min);
        out["shear_strain"] = vector_to(r.shear_strain);
        out["volumetric_strain"] = vector_to(r.volumetric_strain);
        std::vector<bool> valid(r.valid.begin(), r.valid.end());
        py::array_t<bool> va(static_cast<py::ssize_t>(valid.size()));
        for (std::size_t i = 0; i < valid.size(); ++i) va.mutable_at(static_cast<py::ssize_t>(i)) = valid[i];
        out["valid"] = va;
        return out;
    });
}

/// The species index of a name (or of a 1-based LAMMPS type written as a number).
template <int D>
int species_index(const amorph::system<D>& s, const std::string& name, const char* what) {
    for (std::size_t t = 0; t < s.species.size(); ++t)
        if (s.species[t].name == name) return static_cast<int>(t);
    throw invalid_argument(std::string(what) + ": no species '" + name + "' in this system");
}

py::array coordination_py(const py_system& ps, const py::dict& cutoffs) {
    return ps.visit([&](const auto& sys) -> py::array {
        const auto ns = static_cast<Eigen::Index>(sys.species.size());
        Eigen::MatrixXd rc = Eigen::MatrixXd::Zero(ns, ns);
        for (const auto& [key, value] : cutoffs) {
            const auto pair = py::cast<std::pair<std::string, std::string>>(key);
            const int a = species_index(sys, pair.first, "coordination"), b = species_index(sys, pair.second, "coordination");
            rc(a, b) = rc(b, a) = py::cast<double>(value);
        }
        std::vector<int> cn;
        {
            py::gil_scoped_release release;
            cn = analysis::coordination(sys.box, sys.positions, sys.types, rc);
        }
        return vector_to(cn);
    });
}

py::dict bond_switching_py(const py_system& ref, const py_system& cur, const std::string& center, const std::string& neighbor,
                           double cutoff) {
    if (ref.dim() != cur.dim()) throw invalid_argument("bond_switching: the reference and current systems differ in dimension");
    return ref.visit([&](const auto& r0) {
        using S = std::decay_t<decltype(r0)>;
        const auto& c0 = std::get<S>(cur.s);
        const int a = species_index(r0, center, "bond_switching"), b = species_index(r0, neighbor, "bond_switching");
        analysis::bond_switching_result r;
        {
            py::gil_scoped_release release;
            r = analysis::bond_switching(r0, c0, a, b, cutoff);
        }
        std::vector<std::string> change;
        for (auto c : r.change) change.emplace_back(analysis::to_string(c));
        py::dict out;
        out["ids"] = vector_to(r.id);
        out["cn_ref"] = vector_to(r.cn_ref);
        out["cn_cur"] = vector_to(r.cn_cur);
        out["change"] = change;
        py::dict by_cn;
        for (const auto& [cn, counts] : r.by_cn) {
            py::dict c;
            c["UC"] = counts[0];
            c["SC"] = counts[1];
            c["DC"] = counts[2];
            c["IC"] = counts[3];
            by_cn[py::int_(cn)] = c;
        }
        out["by_cn"] = by_cn;
        return out;
    });
}

/// The vibrational MSD ensemble and what it gives: per-atom MSD, v_flex and the predicted G.
py::dict msd_ensemble_py(const py_system& ps, const py_force_field& f, double temperature, std::size_t runs, std::int64_t steps,
                         std::int64_t every, std::int64_t equilibration, double dt, std::uint64_t seed, double skin) {
    return ps.visit([&](const auto& sys0) {
        using S = std::decay_t<decltype(sys0)>;
        constexpr int D = S::dim;
        analysis::msd_result<D> r;
        analysis::flexibility_result fx;
        S sys = sys0;
        {
            py::gil_scoped_release release;
            auto ff = f.make<D>(sys, skin, true);
            protocol::msd_options o;
            o.temperature = temperature;
            o.runs = runs;
            o.steps = steps;
            o.sample_every = every;
            o.equilibration = equilibration;
            o.dt = dt;
            o.seed = seed;
            r = protocol::vibrational_msd(sys, ff, o);
            fx = analysis::flexibility_volume(sys, r);
        }
        py::dict out;
        out["ids"] = vector_to(r.ids);
        out["msd"] = vector_to(r.msd);
        out["msd_mean"] = r.mean;
        out["msd_mean_error"] = r.mean_error;
        out["temperature"] = r.temperature_mean;
        out["temperature_error"] = r.temperature_error;
        out["volume"] = vector_to(fx.volume);
        out["spacing"] = vector_to(fx.spacing);
        out["vflex"] = vector_to(fx.vflex);
        out["vflex_mean"] = fx.mean_vflex;
        out["vflex_mean_error"] = fx.mean_vflex_error;
        out["predicted_shear_modulus"] = analysis::predicted_shear_modulus(temperature, fx.mean_vflex, *sys.units);
        return out;
    });
}

/// A linear softness model, scikit-learn style (fit / decision_function / predict).
struct py_softness {
    learn::train_options options;
    std::optional<learn::linear_model> model;

    const learn::linear_model& fitted() const {
        if (!model) throw invalid_argument("Softness: not fitted (call fit(X, y) or Softness.load(path))");
        return *model;
    }
};

learn::row_matrix rows_from(const py::array_t<double, py::array::c_style | py::array::forcecast>& X, const char* what) {
    if (X.ndim() != 2) throw invalid_argument(std::string(what) + ": expected a 2-D feature array (samples, features)");
    learn::row_matrix m(X.shape(0), X.shape(1));
    std::copy(X.data(), X.data() + X.size(), m.data());
    if (!m.allFinite()) throw invalid_argument(std::string(what) + ": the features hold NaN or infinity");
    return m;
}

py::array_t<double> eigen_to(const Eigen::VectorXd& v) {
    py::array_t<double> a(v.size());
    std::copy(v.data(), v.data() + v.size(), a.mutable_data());
    return a;
}

/// The thesis's SDM settings of the system's dimension in the loading frame named by
/// `loading` (2D: ss+, ss-, ps+, ps-, shear:THETA) or `orientation` (3D: 1..24).
template <int D>
descriptor::sdm_settings<D> sdm_settings_for(const std::optional<std::string>& loading, std::optional<int> orientation,
                                             std::optional<double> cutoff, std::optional<double> delta) {
    descriptor::sdm_settings<D> s;
    if constexpr (D == 2) {
        s = descriptor::sdm_thesis_2d();
        if (orientation) throw invalid_argument("sdm: orientation (thesis Table 5.1) is for 3D systems; give loading");
        if (!loading) throw invalid_argument("sdm: give loading (ss+, ss-, ps+, ps- or shear:THETA)");
        s.frame = learn::loading_frame_2d(*loading);
    } else {
        s = descriptor::sdm_thesis_3d();
        if (loading) throw invalid_argument("sdm: loading names a 2D loading; in 3D give orientation K (1..24)");
        if (!orientation) throw invalid_argument("sdm: give orientation K (1..24, thesis Table 5.1)");
        const auto def = protocol::orientation(*orientation);
        s.frame = descriptor::loading_frame<3>(def.direction, def.normal);
    }
    if (cutoff) s.cutoff = *cutoff;
    if (delta) s.delta = *delta;
    return s;
}

std::vector<std::size_t> centers_from(const std::optional<std::vector<std::int64_t>>& centers, std::size_t n) {
    std::vector<std::size_t> c;
    if (!centers) {
        c.resize(n);
        for (std::size_t i = 0; i < n; ++i) c[i] = i;
        return c;
    }
    for (auto i : *centers) {
        if (i < 0 || static_cast<std::size_t>(i) >= n)
            throw invalid_argument("centers: index " + std::to_string(i) + " outside 0.." + std::to_string(n - 1));
        c.push_back(static_cast<std::size_t>(i));
    }
    return c;
}

py::array sdm_py(const py_system& ps, const std::optional<std::string>& loading, std::optional<int> orientation,
                 const std::optional<std::vector<std::int64_t>>& centers, std::optional<double> cutoff,
                 std::optional<double> delta) {
    return ps.visit([&](const auto& sys) -> py::array {
        constexpr int D = std::decay_t<decltype(sys)>::dim;
        const auto s = sdm_settings_for<D>(loading, orientation, cutoff, delta);
        const auto c = centers_from(centers, sys.size());
        const descriptor::sdm_evaluator<D> ev(s, sys);
        std::vector<py::ssize_t> shape{static_cast<py::ssize_t>(c.size()), static_cast<py::ssize_t>(ev.channels())};
        for (int k = 0; k < D; ++k) shape.push_back(static_cast<py::ssize_t>(ev.grid()));
        py::array_t<float> out(shape);
        {
            py::gil_scoped_release release;
            ev.compute(c, std::span<float>(out.mutable_data(), c.size() * ev.image_size()));
        }
        return out;
    });
}

struct py_cnn {
    std::shared_ptr<learn::cnn> net;
    std::string path;

    py::array predict(const py_system& ps, const std::optional<std::string>& loading, std::optional<int> orientation,
                      const std::optional<std::vector<std::int64_t>>& centers, bool mirror) const {
        return ps.visit([&](const auto& sys) -> py::array {
            constexpr int D = std::decay_t<decltype(sys)>::dim;
            if (net->dim() != D)
                throw invalid_argument(path + ": a " + std::to_string(net->dim()) + "D network for a " + std::to_string(D) +
                                       "D system");
            const auto s = sdm_settings_for<D>(loading, orientation, std::nullopt, std::nullopt);
            const auto c = centers_from(centers, sys.size());
            std::vector<double> p;
            {
                py::gil_scoped_release release;
                p = learn::cnn_probability<D>(*net, sys, s, c, mirror);
            }
            return vector_to(p);
        });
    }
};

descriptor::settings descriptor_named(const std::string& name, double sigma) {
    if (name == "alumina") return descriptor::presets::alumina();
    if (name == "fan2020-2d") return descriptor::presets::fan2020_2d(sigma);
    if (name == "fan2020-3d") return descriptor::presets::fan2020_3d();
    throw invalid_argument("structure_functions: preset '" + name + "' is not alumina, fan2020-2d or fan2020-3d");
}

/// The feature definition: `settings` (a settings dict, or the path of the JSON
/// file `amorph sf --save-settings` wrote) when given, else the preset.
descriptor::settings descriptor_from(const std::string& preset, double sigma, const py::object& settings) {
    if (settings.is_none()) return descriptor_named(preset, sigma);
    if (py::isinstance<py::str>(settings)) {
        const auto path = settings.cast<std::string>();
        std::ifstream in(path);
        if (!in) throw io_error("structure_functions: cannot read settings file " + path);
        std::stringstream text;
        text << in.rdbuf();
        return learn::settings_from_json(learn::json::parse(text.str(), path));
    }
    if (py::isinstance<py::dict>(settings)) {
        const auto text = py::module_::import("json").attr("dumps")(settings).cast<std::string>();
        return learn::settings_from_json(learn::json::parse(text, "settings"));
    }
    throw invalid_argument("structure_functions: settings must be a dict or the path of a settings JSON file");
}

py::dict structure_function_settings(const std::string& preset, double sigma) {
    const auto text = learn::json::dump(learn::to_json(descriptor_named(preset, sigma)));
    return py::module_::import("json").attr("loads")(text);
}

py::array structure_functions_py(const py_system& ps, const std::string& preset, double sigma, const py::object& settings,
                                 const std::optional<std::vector<std::int64_t>>& centers) {
    const auto s = descriptor_from(preset, sigma, settings);
    return ps.visit([&](const auto& sys) -> py::array {
        const auto c = centers_from(centers, sys.size());
        descriptor::feature_matrix X;
        {
            py::gil_scoped_release release;
            X = descriptor::compute_structure_functions(sys, s, c);
        }
        py::array_t<double> a({static_cast<py::ssize_t>(X.rows()), static_cast<py::ssize_t>(X.cols())});
        auto m = a.mutable_unchecked<2>();
        for (Eigen::Index i = 0; i < X.rows(); ++i)
            for (Eigen::Index j = 0; j < X.cols(); ++j) m(i, j) = X(i, j);
        return a;
    });
}

std::vector<std::string> structure_function_names(const py_system& ps, const std::string& preset, double sigma,
                                                  const py::object& settings) {
    const auto s = descriptor_from(preset, sigma, settings);
    return ps.visit([&](const auto& sys) { return descriptor::feature_names(s, species_names(sys)); });
}

/// Flexibility volume from a per-atom MSD the caller measured (in the system's atom order).
py::dict flexibility_volume_py(const py_system& ps, const py::array_t<double, py::array::c_style | py::array::forcecast>& msd) {
    return ps.visit([&](const auto& sys0) {
        using S = std::decay_t<decltype(sys0)>;
        constexpr int D = S::dim;
        if (msd.ndim() != 1 || static_cast<std::size_t>(msd.shape(0)) != sys0.size())
            throw invalid_argument("flexibility_volume: expected " + std::to_string(sys0.size()) + " MSD values, one per atom");
        analysis::flexibility_result fx;
        {
            py::gil_scoped_release release;
            // Per-atom values travel with the ids: msd_result is keyed by increasing id.
            std::vector<std::size_t> order(sys0.size());
            for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
            std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return sys0.ids[a] < sys0.ids[b]; });
            analysis::msd_result<D> m;
            m.fabric = Eigen::MatrixXd::Zero(D * (D + 1) / 2, static_cast<Eigen::Index>(sys0.size()));
            for (auto i : order) {
                const double v = msd.at(static_cast<py::ssize_t>(i));
                if (!(std::isfinite(v) && v >= 0))
                    throw invalid_argument("flexibility_volume: the MSD of atom " + std::to_string(sys0.ids[i]) +
                                           " is not a finite number >= 0");
                m.ids.push_back(sys0.ids[i]);
                m.msd.push_back(v);
            }
            fx = analysis::flexibility_volume(sys0, m);
        }
        py::dict out;
        out["ids"] = vector_to(fx.ids);
        out["msd"] = vector_to(fx.msd);
        out["volume"] = vector_to(fx.volume);
        out["spacing"] = vector_to(fx.spacing);
        out["vflex"] = vector_to(fx.vflex);
        out["vflex_mean"] = fx.mean_vflex;
        return out;
    });
}

// ------------------------------------------------------------------ files

py_system read_py(const std::string& path, std::int64_t frame, const std::optional<std::vector<std::string>>& species,
                  const std::optional<std::string>& format) {
    io::read_options o;
    o.frame = frame;
    if (species) o.species = *species;
    if (format) o.format = io::format_named(*format);
    py::gil_scoped_release release;
    if (io::detect_dimension(path, o) == 2) return {io::read_system<2>(path, o)};
    return {io::read_system<3>(path, o)};
}

void write_py(const std::string& path, const py_system& ps, const py::kwargs& columns) {
    ps.visit([&](const auto& sys0) {
        auto sys = sys0;
        for (const auto& [key, value] : columns) {
            const auto name = py::cast<std::string>(key);
            const auto a = py::cast<py::array_t<double, py::array::c_style | py::array::forcecast>>(value);
            if (a.ndim() != 1 || static_cast<std::size_t>(a.shape(0)) != sys.size())
                throw invalid_argument("write: column '" + name + "' needs " + std::to_string(sys.size()) + " values");
            sys.set_property(name, std::vector<double>(a.data(), a.data() + sys.size()));
        }
        py::gil_scoped_release release;
        io::write_system(path, sys);
    });
}

}  // namespace amorph::python

PYBIND11_MODULE(_amorph, m) {
    using namespace amorph;
    using namespace amorph::python;
    m.doc() = "amorph: analysis and simulation of amorphous solids (C++ library bindings)";

    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p) std::rethrow_exception(p);
        } catch (const amorph::invalid_argument& e) {
            PyErr_SetString(PyExc_ValueError, e.what());
        } catch (const amorph::parse_error& e) {
            PyErr_SetString(PyExc_ValueError, e.what());
        } catch (const amorph::io_error& e) {
            PyErr_SetString(PyExc_OSError, e.what());
        } catch (const amorph::unsupported& e) {
            PyErr_SetString(PyExc_NotImplementedError, e.what());
        } catch (const amorph::error& e) {
            PyErr_SetString(PyExc_RuntimeError, e.what());
        }
    });

    py::class_<py_system>(m, "System", R"doc(
Atoms in a periodic cell (2D or 3D), amorph's system.

System(cell, positions, types, species=None, charges=None, pbc=True, origin=None, ids=None,
       velocities=None)
    cell       (D, D): columns are the cell vectors (LAMMPS's h matrix); D = 2 or 3
    positions  (N, D) Cartesian coordinates
    types      (N,) 0-based index of each atom's species (LAMMPS type - 1)
    species    names of the species, e.g. ["Cu", "Zr"] (masses from the element
               table); default "1", "2", ...
    charges    (N,) per-atom charges, optional
    origin     (D,) the cell's origin (default 0)
    ids        (N,) atom ids, unique (default 1..N), e.g. LAMMPS's; analyses
               that compare two systems (d2min, bond_switching) match atoms by id
    velocities (N, D) velocities, optional (length / the unit system's time)

positions, velocities, types and ids are numpy views of the system's own
storage (no copy): writing into them changes the system.)doc")
        .def(py::init([](const py::array_t<double, py::array::c_style | py::array::forcecast>& cell,
                         const py::array_t<double, py::array::c_style | py::array::forcecast>& positions,
                         const py::array_t<int, py::array::c_style | py::array::forcecast>& types,
                         const std::optional<std::vector<std::string>>& species,
                         const std::optional<py::array_t<double, py::array::c_style | py::array::forcecast>>& charges, bool pbc,
                         const std::optional<py::array_t<double, py::array::c_style | py::array::forcecast>>& origin,
                         const std::optional<py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>>& ids,
                         const std::optional<py::array_t<double, py::array::c_style | py::array::forcecast>>& velocities) {
                 if (cell.ndim() != 2 || cell.shape(0) != cell.shape(1) || (cell.shape(0) != 2 && cell.shape(0) != 3))
                     throw invalid_argument("cell: expected a (2, 2) or (3, 3) array whose columns are the cell vectors");
                 if (cell.shape(0) == 2)
                     return py_system{make_system<2>(cell, positions, types, species, charges, pbc, origin, ids, velocities)};
                 return py_system{make_system<3>(cell, positions, types, species, charges, pbc, origin, ids, velocities)};
             }),
             py::arg("cell"), py::arg("positions"), py::arg("types"), py::arg("species") = py::none(),
             py::arg("charges") = py::none(), py::arg("pbc") = true, py::arg("origin") = py::none(), py::arg("ids") = py::none(),
             py::arg("velocities") = py::none())
        .def_property_readonly("dim", &py_system::dim, "2 or 3")
        .def("__len__", &py_system::size)
        .def_property_readonly(
            "positions",
            [](py::object self) {
                auto& ps = self.cast<py_system&>();
                return ps.visit([&](auto& s) { return coords_view(s.positions, self); });
            },
            "(N, D) positions, a writable view")
        .def_property_readonly(
            "velocities",
            [](py::object self) -> py::object {
                auto& ps = self.cast<py_system&>();
                return ps.visit([&](auto& s) -> py::object {
                    if (!s.has_velocities()) return py::none();
                    return coords_view(s.velocities, self);
                });
            },
            "(N, D) velocities (a writable view), or None")
        .def_property_readonly(
            "types",
            [](py::object self) {
                auto& ps = self.cast<py_system&>();
                return ps.visit([&](auto& s) {
                    return py::array_t<int>({static_cast<py::ssize_t>(s.size())}, {static_cast<py::ssize_t>(sizeof(int))},
                                            s.types.data(), self);
                });
            },
            "(N,) int32: 0-based species index (LAMMPS type - 1), a view")
        .def_property_readonly(
            "ids",
            [](py::object self) {
                auto& ps = self.cast<py_system&>();
                return ps.visit([&](auto& s) {
                    return py::array_t<std::int64_t>({static_cast<py::ssize_t>(s.size())},
                                                     {static_cast<py::ssize_t>(sizeof(std::int64_t))}, s.ids.data(), self);
                });
            },
            "(N,) int64 atom ids, a view")
        .def_property_readonly(
            "charges",
            [](const py_system& ps) -> py::object {
                return ps.visit([](const auto& s) -> py::object {
                    if (!s.has_charges()) return py::none();
                    return vector_to(s.charges);
                });
            },
            "(N,) charges (a copy), or None")
        .def_property(
            "cell", [](const py_system& ps) { return ps.visit([](const auto& s) -> py::object { return cell_to(s.box.h()); }); },
            [](py_system& ps, const py::array_t<double, py::array::c_style | py::array::forcecast>& h) {
                ps.visit([&](auto& s) {
                    constexpr int D = std::decay_t<decltype(s)>::dim;
                    s.box = box<D>(cell_from<D>(h), s.box.origin(), s.box.periodic());
                });
            },
            "(D, D) cell: columns are the cell vectors (a copy; assign to change the cell, atoms stay put)")
        .def_property_readonly(
            "origin", [](const py_system& ps) { return ps.visit([](const auto& s) -> py::object {
                          py::array_t<double> a(s.dim);
                          for (int k = 0; k < s.dim; ++k) a.mutable_at(k) = s.box.origin()(k);
                          return a;
                      }); },
            "(D,) origin of the cell")
        .def_property_readonly(
            "species",
            [](const py_system& ps) {
                return ps.visit([](const auto& s) { return species_names(s); });
            },
            "species names, index = type")
        .def_property_readonly(
            "masses",
            [](const py_system& ps) {
                return ps.visit([](const auto& s) {
                    std::vector<double> m;
                    for (std::size_t t = 0; t < s.species.size(); ++t) m.push_back(s.species[t].mass);
                    return m;
                });
            },
            "mass of each species (0 when unknown)")
        .def("property",
             [](const py_system& ps, const std::string& name) -> py::object {
                 return ps.visit([&](const auto& s) -> py::object {
                     const auto* p = s.find_property(name);
                     if (!p) throw invalid_argument("System.property: no per-atom column '" + name + "'");
                     return vector_to(p->values);
                 });
             },
             py::arg("name"), "a per-atom column read from the file (e.g. 'c_pe', 'D2min'), as a copy")
        .def("copy", [](const py_system& ps) { return ps; }, "a deep copy")
        .def("__repr__", [](const py_system& ps) {
            return "<amorph.System " + std::to_string(ps.dim()) + "D, " + std::to_string(ps.size()) + " atoms>";
        });

    m.def("read", &read_py, py::arg("path"), py::arg("frame") = -1, py::arg("species") = py::none(),
          py::arg("format") = py::none(), R"doc(
Read a configuration: LAMMPS data or dump, extxyz or POSCAR (gzip too), the
format detected from the content unless `format` ("data", "dump", "extxyz",
"poscar") is given. frame: trajectory frame, 0-based, negative from the end.
species: names of LAMMPS types 1, 2, ... (e.g. ["Cu", "Zr"]). The dimension
is the file's (a flat LAMMPS cell or a 2D extxyz reads as 2D).)doc");
    m.def("write", &write_py, py::arg("path"), py::arg("system"), R"doc(
Write `system` to `path`, the format by extension (.data/.lmp, .dump/.lammpstrj,
.xyz/.extxyz, .vasp/POSCAR); keyword arguments add per-atom columns, e.g.
amorph.write("out.xyz", s, d2min=values).)doc");

    m.def("set_num_threads", &set_num_threads, py::arg("n"),
          "Limit amorph's oneTBB worker threads to n (0: all cores, the default).");
    m.def("units", [](const std::string& name) { return std::string(units::by_name(name).name); }, py::arg("name"),
          "Check a unit-system name (metal, real, lj) and return it.");

    py::class_<compute_result>(m, "ComputeResult", "energy, forces (N, D), virial (D, D) and per-atom energy of one evaluation")
        .def_readonly("energy", &compute_result::energy, "total potential energy (energy unit of the force field's units)")
        .def_readonly("forces", &compute_result::forces, "(N, D) forces")
        .def_readonly("virial", &compute_result::virial, "(D, D) virial sum_i r_i (x) f_i (energy unit; LAMMPS's pressure * V / nktv2p)")
        .def_readonly("per_atom_energy", &compute_result::per_atom_energy, "(N,) energy per atom (pair terms split half/half, as LAMMPS pe/atom)");

    py::class_<py_force_field>(m, "ForceField", R"doc(
A potential written as LAMMPS writes it.

ForceField(lines, units="metal")
    lines: pair_style / pair_coeff / pair_modify / kspace_style / kspace_modify
           commands, one per line (potential files by path, as in LAMMPS)
ForceField.preset(name): a built-in model (amorph's `--preset`), e.g.
    "lj2d-binary", "cuzr-mendelev", "si-sw", "alox-matsui")doc")
        .def(py::init([](const std::string& lines, const std::string& unit_name) {
                 (void)potential::parse_pair_commands(lines, "ForceField");  // syntax errors now, not at compute()
                 return py_force_field{lines, &units::by_name(unit_name), {}};
             }),
             py::arg("lines"), py::arg("units") = "metal")
        .def_static(
            "preset",
            [](const std::string& name) {
                for (const auto& p : potential::presets::models())
                    if (p.name == name) return py_force_field{p.lammps, &units::by_name(p.units), std::string(p.name)};
                std::string known;
                for (const auto& p : potential::presets::models()) known += (known.empty() ? "" : ", ") + std::string(p.name);
                throw invalid_argument("ForceField.preset: unknown preset '" + name + "' (known: " + known + ")");
            },
            py::arg("name"))
        .def_property_readonly("lines", [](const py_force_field& f) { return f.lines; })
        .def_property_readonly("units", [](const py_force_field& f) { return std::string(f.units->name); })
        .def("compute", &py_force_field::compute, py::arg("system"), R"doc(
Energy, forces, virial and per-atom energy of `system` (LAMMPS's `run 0`:
atoms where they are, the GIL released). The system takes the force field's
unit system.)doc");

    m.def("hessian", &hessian_py, py::arg("system"), py::arg("force_field"), py::arg("dense") = false, R"doc(
The Hessian d^2E / dx_ia dx_jb of the force field's potential at `system`'s
positions (analytic, amorph/potential/hessian.hpp): (D N, D N), index D i + a,
atoms in the system's order; a scipy.sparse.csc_matrix, or a numpy array
with dense=True. The system takes the force field's units and file masses.)doc");
    m.def("normal_modes", &normal_modes_py, py::arg("system"), py::arg("force_field"), py::arg("lowest") = 0,
          py::arg("fraction") = 0.0, py::arg("solver") = "auto", R"doc(
The zero modes (D for a periodic cell) and the `lowest` (or the `fraction`,
rounded up) lowest non-zero modes of the dynamical matrix m^-1/2 H m^-1/2
(amorph modes). Returns a dict: eigenvalues (omega^2, ascending, zero modes
first), vectors (modes, N, D; orthonormal), zero_modes, solver,
participation (N: p_i = sum over the non-zero modes of |e_k^i|^2) and
participation_ratio (per mode). solver: "auto", "dense", "shift-invert",
"lanczos". The system should be a minimum.)doc");
    m.def("minimize", &minimize_py, py::arg("system"), py::arg("force_field"), py::arg("min_style") = "cg",
          py::arg("ftol") = 1e-8, py::arg("etol") = 0.0, py::arg("max_iterations") = 10000, py::arg("max_evaluations") = 100000,
          py::arg("skin") = -1.0, R"doc(
Minimize the energy of `system` in place at fixed cell (LAMMPS `minimize etol ftol
maxiter maxeval`; min_style "cg" (LAMMPS's min_style cg, Polak-Ribiere, quadratic
line search), "fire" or "lbfgs", as the CLI's --min-style). Returns a dict: converged, reason, iterations,
evaluations, energy_initial, energy, fnorm2, fnorm_max. skin < 0: LAMMPS's default.)doc");
    m.def("md", &md_py, py::arg("system"), py::arg("force_field"), py::arg("steps"), py::arg("dt") = 0.0,
          py::arg("ensemble") = "nve", py::arg("temperature") = py::none(), py::arg("t_stop") = py::none(),
          py::arg("t_damp") = 0.0, py::arg("pressure") = py::none(), py::arg("p_damp") = 0.0, py::arg("seed") = py::none(),
          py::arg("callback") = py::none(), py::arg("every") = 100, py::arg("skin") = -1.0, R"doc(
Molecular dynamics of `system` in place: ensemble "nve" (velocity Verlet), "nvt" or
"npt" (Nose-Hoover chains as LAMMPS fix nvt / npt iso; t_damp default 100 dt, p_damp
1000 dt), dt = 0: the unit system's LAMMPS default. seed: draw velocities at
`temperature` first (LAMMPS velocity create ... dist gaussian mom yes). callback(thermo,
system) is called every `every` steps with a dict (step, time, temperature, pe, ke,
etotal, press, volume, econserve, pressure_tensor); the system passed is the one being
integrated (its arrays are views). Returns the thermo of the last step.)doc");
    m.def("aqs", &aqs_py, py::arg("system"), py::arg("force_field"), py::arg("dstrain") = 1e-4, py::arg("max_strain") = 0.01,
          py::arg("loading") = "shear_xy", py::arg("min_style") = "cg", py::arg("ftol") = 1e-8, py::arg("callback") = py::none(),
          py::arg("skin") = -1.0, R"doc(
Athermal quasistatic deformation of `system` in place: steps of `dstrain` up to
`max_strain`, each an affine deformation (loading "shear_xy", "-shear_xy",
"tension_x|y|z" or, in 3D, "orientation:K" of the thesis's 24 frames) followed by a
minimization (min_style cg, fire or lbfgs) to `ftol`. callback(step, system) after every step (dict: step, strain,
pe, tau (resolved stress), plastic, evaluations). Returns strain, pe, tau arrays, the
plastic events and the force evaluations.)doc");
    m.def("create_velocities", &create_velocities_py, py::arg("system"), py::arg("temperature"), py::arg("seed"),
          "Maxwell-Boltzmann velocities at `temperature` (LAMMPS velocity create T seed dist gaussian mom yes).");

    m.def("coordination", &coordination_py, py::arg("system"), py::arg("cutoffs"), R"doc(
Coordination number of every atom: neighbors j (any periodic image) with r_ij below
the cutoff of the pair, cutoffs = {("Cu", "Cu"): 3.3, ("Cu", "Zr"): 3.6, ...} (a
pair left out is not counted).)doc");
    m.def("bond_switching", &bond_switching_py, py::arg("ref"), py::arg("cur"), py::arg("center"), py::arg("neighbor"),
          py::arg("cutoff"), R"doc(
Bond switching of the `center` species' atoms between `ref` and `cur` (atoms matched
by id): their `neighbor`-species neighbors within `cutoff` before and after, each
classified UC (unchanged), SC (switched: same count, other atoms), DC (fewer) or IC
(more); a dict with ids, cn_ref, cn_cur, change and the tally by_cn[cn] = {UC, SC, DC, IC}.)doc");
    m.def("msd_ensemble", &msd_ensemble_py, py::arg("system"), py::arg("force_field"), py::arg("temperature"),
          py::arg("runs") = 100, py::arg("steps") = 2000, py::arg("every") = 1, py::arg("equilibration") = 0, py::arg("dt") = 0.0,
          py::arg("seed") = 20160101, py::arg("skin") = -1.0, R"doc(
Vibrational MSD ensemble (thesis ch2): `runs` NVE runs from the configuration with
fresh velocities (2 T when it is a minimum), per-atom MSD about the time-averaged
position, and the flexibility volume v_flex = MSD * a (a: the Voronoi spacing) with
the shear modulus it predicts, G = 0.464 k_B T / <v_flex> (pressure unit). The system
is not changed. Returns a dict (ids increasing).)doc");

    py::class_<py_softness>(m, "Softness", R"doc(
Linear softness classifier (Cubuk et al.; thesis ch5): features standardized, then a
linear SVM with the squared hinge loss (LIBLINEAR's L2-loss dual solver, as
scikit-learn's LinearSVC(loss="squared_hinge", dual=True) with a regularized bias of
value 1). Labels: 1 = soft (rearranges), 0 or -1 = not.

Softness(C=1.0, standardize=True, tol=1e-4, max_iter=100000)
fit(X, y) -> self; decision_function(X); predict(X) (0/1); softness(X) (signed
distance to the hyperplane); score(X, y) (accuracy); save(path) writes the CLI's model
JSON (`amorph softness predict` reads it); Softness.load(path).)doc")
        .def(py::init([](double C, bool standardize, double tol, std::size_t max_iter) {
                 if (!(C > 0)) throw invalid_argument("Softness: C must be > 0");
                 py_softness s;
                 s.options.svm.C = C;
                 s.options.svm.tol = tol;
                 s.options.svm.max_iter = max_iter;
                 s.options.standardize = standardize;
                 return s;
             }),
             py::arg("C") = 1.0, py::arg("standardize") = true, py::arg("tol") = 1e-4, py::arg("max_iter") = 100000)
        .def(
            "fit",
            [](py::object self, const py::array_t<double, py::array::c_style | py::array::forcecast>& X,
               const py::array_t<int, py::array::c_style | py::array::forcecast>& y) {
                auto& s = self.cast<py_softness&>();
                const auto rows = rows_from(X, "Softness.fit");
                if (y.ndim() != 1 || y.shape(0) != rows.rows())
                    throw invalid_argument("Softness.fit: expected " + std::to_string(rows.rows()) + " labels");
                std::vector<int> labels(y.data(), y.data() + y.size());
                {
                    py::gil_scoped_release release;
                    s.model = learn::train_softness(rows, labels, s.options);
                }
                return self;
            },
            py::arg("X"), py::arg("y"))
        .def(
            "decision_function",
            [](const py_softness& s, const py::array_t<double, py::array::c_style | py::array::forcecast>& X) {
                return eigen_to(s.fitted().decision(rows_from(X, "Softness.decision_function")));
            },
            py::arg("X"))
        .def(
            "softness",
            [](const py_softness& s, const py::array_t<double, py::array::c_style | py::array::forcecast>& X) {
                return eigen_to(s.fitted().softness(rows_from(X, "Softness.softness")));
            },
            py::arg("X"))
        .def(
            "predict",
            [](const py_softness& s, const py::array_t<double, py::array::c_style | py::array::forcecast>& X) {
                const Eigen::VectorXd d = s.fitted().decision(rows_from(X, "Softness.predict"));
                py::array_t<int> out(d.size());
                for (Eigen::Index i = 0; i < d.size(); ++i) out.mutable_at(i) = d(i) > 0 ? 1 : 0;
                return out;
            },
            py::arg("X"))
        .def(
            "score",
            [](const py_softness& s, const py::array_t<double, py::array::c_style | py::array::forcecast>& X,
               const py::array_t<int, py::array::c_style | py::array::forcecast>& y) {
                const Eigen::VectorXd d = s.fitted().decision(rows_from(X, "Softness.score"));
                if (y.ndim() != 1 || y.shape(0) != d.size()) throw invalid_argument("Softness.score: one label per row");
                double right = 0;
                for (Eigen::Index i = 0; i < d.size(); ++i) right += (d(i) > 0) == (y.at(i) > 0);
                return right / static_cast<double>(d.size());
            },
            py::arg("X"), py::arg("y"))
        .def_property_readonly("coef_", [](const py_softness& s) { return eigen_to(s.fitted().fit.w); },
                               "weights of the standardized features")
        .def_property_readonly("intercept_", [](const py_softness& s) { return s.fitted().fit.b; })
        .def("save", [](const py_softness& s, const std::string& path) { learn::save_model(path, s.fitted()); }, py::arg("path"))
        .def_static(
            "load",
            [](const std::string& path) {
                py_softness s;
                s.model = learn::load_model(path);
                return s;
            },
            py::arg("path"));

    m.def("sdm", &sdm_py, py::arg("system"), py::arg("loading") = py::none(), py::arg("orientation") = py::none(),
          py::arg("centers") = py::none(), py::arg("cutoff") = py::none(), py::arg("delta") = py::none(), R"doc(
Spatial density maps (thesis ch5) of the atoms `centers` (indices; default all): a
float32 array (n, species, grid, grid[, grid]) of Gaussian-smeared neighbor densities in
the loading frame: 2D loading "ss+", "ss-", "ps+", "ps-" or "shear:THETA"; 3D
orientation K = 1..24 (Table 5.1). The thesis's sizes (2D 2 x 50^2 over r_c = 5, 3D
2 x 32^3) unless cutoff / delta are given. As `amorph sdm`.)doc");

    auto cnn_mod = m.def_submodule("cnn", "The hand-written CNN inference of amorph (.amcnn networks).");
    py::class_<py_cnn>(cnn_mod, "Network", "A trained network (amorph's .amcnn format, examples/ch5 and ch5-3d weights).")
        .def_property_readonly("dim", [](const py_cnn& c) { return c.net->dim(); })
        .def_property_readonly("path", [](const py_cnn& c) { return c.path; })
        .def("predict", &py_cnn::predict, py::arg("system"), py::arg("loading") = py::none(),
             py::arg("orientation") = py::none(), py::arg("centers") = py::none(), py::arg("mirror") = true, R"doc(
Probability that each atom rearranges under the loading (2D loading "ss+", "ss-",
"ps+", "ps-", "shear:THETA"; 3D orientation K): the network on the SDM of every atom
(or `centers`), by default averaged over the mirror image of the map that describes the
same loading (as `amorph cnn predict`). Returns an (n,) array.)doc");
    cnn_mod.def(
        "load",
        [](const std::string& path) {
            py_cnn c;
            c.net = std::make_shared<learn::cnn>(learn::cnn::load(path));
            c.path = path;
            return c;
        },
        py::arg("path"), "Load a network written by examples/ch5/train_cnn.py (or learn::write_cnn).");

    m.def("voronoi", &voronoi_py, py::arg("system"), py::arg("indices") = false, R"doc(
Voronoi tessellation of a periodic system: the (N,) cell volumes (areas in 2D);
with indices=True also the (N, 4) Voronoi indices <n3, n4, n5, n6> (3D).
Equal to voro++ to 1e-10 (tests/analysis).)doc");
    m.def("rdf", &rdf_py, py::arg("system"), py::arg("rmax"), py::arg("bins") = 100, R"doc(
Radial distribution function over [0, rmax) in `bins` bins: a dict with
"r" (bin centres), "g" (total) and "partial" {(a, b): g_ab} by species names,
normalized as LAMMPS's compute rdf (N_b - delta_ab).)doc");
    m.def("d2min", &d2min_py, py::arg("ref"), py::arg("cur"), py::arg("cutoff"), R"doc(
Falk-Langer D2min of `cur` relative to `ref` (same atoms, matched by id) over
the neighbors within `cutoff` in the reference: a dict with "ids", "d2min",
"shear_strain" (von Mises), "volumetric_strain" and "valid".)doc");
    m.def("structure_functions", &structure_functions_py, py::arg("system"), py::arg("preset") = "fan2020-2d",
          py::arg("sigma") = 1.0, py::arg("settings") = py::none(), py::arg("centers") = py::none(), R"doc(
Structure functions, an (len(centers), M) array (every atom when centers is None):
preset "fan2020-2d" (thesis ch5, length unit sigma), "fan2020-3d" or "alumina"; or
settings, a dict from structure_function_settings() (edited as you like) or the path
of the JSON file `amorph sf --save-settings` wrote, which replaces the preset.
structure_function_names() gives the column names.)doc");
    m.def("structure_function_names", &structure_function_names, py::arg("system"), py::arg("preset") = "fan2020-2d",
          py::arg("sigma") = 1.0, py::arg("settings") = py::none(),
          "Names of the columns of structure_functions(), e.g. 'G[Cu](mu=2.025)'.");
    m.def("structure_function_settings", &structure_function_settings, py::arg("preset") = "fan2020-2d",
          py::arg("sigma") = 1.0, R"doc(
The definition of a preset as a dict (the JSON `amorph sf --save-settings` writes):
radial and angular parts, their centers, widths, cutoffs and terms. Edit it and pass
it to structure_functions(settings=...).)doc");
    m.def("flexibility_volume", &flexibility_volume_py, py::arg("system"), py::arg("msd"), R"doc(
Flexibility volume (thesis ch2, eq 2.1) from a per-atom vibrational MSD you measured,
one value per atom in the system's order: v_flex,i = MSD_i * Omega_i^(1/D), Omega_i
the Voronoi volume (area in 2D). Returns a dict keyed by increasing id (ids, msd,
volume, spacing, vflex, vflex_mean). msd_ensemble() measures the MSD and does this.)doc");
}
