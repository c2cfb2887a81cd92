// amorph/potential/detail/common.hpp — helpers shared by the force loops:
// per-chunk scalar sums, argument checks, output pointers.
#pragma once

#include "amorph/core/error.hpp"
#include "amorph/core/system.hpp"
#include "amorph/potential/concepts.hpp"
#include "amorph/potential/detail/chunked.hpp"
#include "amorph/potential/result.hpp"

#include <array>
#include <cstddef>
#include <string>
#include <vector>

namespace amorph::potential::detail {

/// Energy and global virial (Voigt, LAMMPS order) of one chunk.
template <int D>
struct ev_sums {
    double energy = 0.0;
    std::array<double, voigt_size<D>> w{};

    ev_sums& operator+=(const ev_sums& o) {
        energy += o.energy;
        for (std::size_t k = 0; k < w.size(); ++k) w[k] += o.w[k];
        return *this;
    }
};

/// Add chunk sums into a result.
template <int D>
void add_sums(result<D>& r, const ev_sums<D>& s, bool virial) {
    r.energy += s.energy;
    if (!virial) return;
    for (int k = 0; k < voigt_size<D>; ++k) {
        const int a = voigt_a<D>(k), b = voigt_b<D>(k);
        r.virial(a, b) += s.w[static_cast<std::size_t>(k)];
        if (a != b) r.virial(b, a) += s.w[static_cast<std::size_t>(k)];
    }
}

/// Make sure `r` is sized for n atoms with the outputs `opt` asks for
/// (zeroing it when it is not; accumulate() adds into an existing result).
template <int D>
void prepare(result<D>& r, std::size_t n, const compute_options& opt) {
    const bool ok = r.size() == n && (!opt.energy_per_atom || r.energy_per_atom.size() == n) &&
                    (!opt.virial_per_atom || static_cast<std::size_t>(r.virial_per_atom.cols()) == n);
    if (!ok) r.reset(n, opt);
}

/// Throw invalid_argument when a type has no parameters (outside [0, ntypes)).
inline void check_types(const std::vector<int>& types, int ntypes, const char* who) {
    for (int t : types)
        if (t < 0 || t >= ntypes)
            throw invalid_argument(std::string(who) + ": atom type " + std::to_string(t) +
                                   " has no parameters (the potential knows " + std::to_string(ntypes) +
                                   " types)");
}

/// Chunk bounds of a list: equal numbers of entries per chunk. A CSR list
/// (offsets()) has the prefix sums already: the same bounds as partition()
/// by binary search, O(chunks log n) instead of a pass over the atoms.
template <class List>
void list_chunks(const List& nl, std::size_t n, const compute_options& opt, workspace& ws) {
    const std::size_t chunks = opt.chunks ? opt.chunks : default_chunks(n);
    if constexpr (requires { nl.offsets()[0]; }) {
        const auto& off = nl.offsets();
        if (off.size() == n + 1) {
            partition_prefix(n, chunks, [&](std::size_t k) { return static_cast<double>(k + off[k]); }, ws.bounds);
            return;
        }
    }
    partition(n, chunks, [&](std::size_t i) { return nl.neighbors(i).size(); }, ws.bounds);
}

/// Check a system / list / potential combination; throws invalid_argument.
template <int D, class List>
void check_inputs(const amorph::system<D>& sys, const List& nl, double cutoff, int ntypes, const char* who) {
    if (nl.size() != sys.size())
        throw invalid_argument(std::string(who) + ": the neighbor list has " + std::to_string(nl.size()) +
                               " atoms, the system " + std::to_string(sys.size()) +
                               " (build the list for these positions first)");
    if (nl.cutoff() < cutoff)
        throw invalid_argument(std::string(who) + ": the neighbor list cutoff " + std::to_string(nl.cutoff()) +
                               " is shorter than the potential's cutoff " + std::to_string(cutoff));
    if (static_cast<std::size_t>(sys.positions.cols()) != sys.size())
        throw invalid_argument(std::string(who) + ": positions and types have different sizes");
    check_types(sys.types, ntypes, who);
}

/// Output pointers and strides for forces, per-atom energy, per-atom virial
/// (stride 0 = not computed).
template <int D>
struct outputs {
    std::array<double*, 3> ptr{};
    std::array<std::size_t, 3> stride{};
};

template <int D>
outputs<D> outputs_of(result<D>& r, const compute_options& opt) {
    outputs<D> o;
    o.ptr[0] = r.forces.data();
    o.stride[0] = D;
    if (opt.energy_per_atom) {
        o.ptr[1] = r.energy_per_atom.data();
        o.stride[1] = 1;
    }
    if (opt.virial_per_atom) {
        o.ptr[2] = r.virial_per_atom.data();
        o.stride[2] = static_cast<std::size_t>(voigt_size<D>);
    }
    return o;
}

}  // namespace amorph::potential::detail
