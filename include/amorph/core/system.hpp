// amorph/core/system.hpp — the atoms of a simulation: structure-of-arrays storage.
//
// A system<D> holds N atoms in a box<D>. Each per-atom quantity is its own
// contiguous array (positions, velocities and forces as D x N matrices, one
// column per atom); optional arrays are empty until used. Atom ids are the
// identity of an atom: every operation that reorders atoms carries the ids
// along, and per-atom results are keyed by id, never by storage order.
//
// Positions are stored as given: they may lie outside the primary cell
// (unwrapped). When a file carries image flags they are kept in `image`, and
// unwrapped_positions() returns x + h * image.
#pragma once

#include "amorph/core/box.hpp"
#include "amorph/core/compiled.hpp"
#include "amorph/core/error.hpp"
#include "amorph/core/species.hpp"
#include "amorph/core/units.hpp"
#include "amorph/core/vec.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <numeric>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace amorph {

/// A named per-atom scalar column (e.g. an extra dump column "c_pe" or "D2min").
/// `integer` marks counts, labels and flags (Voronoi faces, coordination,
/// cluster ids): extxyz writes them as I columns, which ASE and OVITO read as
/// integers; the values are still stored as doubles.
struct property {
    std::string name;
    std::vector<double> values;
    bool integer = false;
};

template <int D>
    requires supported_dimension<D>
class system {
public:
    using vec_t = vec<D>;
    static constexpr int dim = D;

    amorph::box<D> box;
    species_list species;
    const unit_system* units = &units::metal;

    coords<D> positions;             ///< D x N
    coords<D> velocities;            ///< D x N, or empty
    coords<D> forces;                ///< D x N, or empty
    icoords<D> image;                ///< D x N periodic image flags, or empty
    std::vector<int> types;          ///< 0-based index into `species`
    std::vector<std::int64_t> ids;   ///< unique atom ids (LAMMPS ids, 1-based by convention)
    std::vector<double> charges;     ///< per-atom charge, or empty
    std::vector<property> properties;  ///< extra named per-atom columns

    system() = default;

    /// N atoms at the origin, all of type 0, ids 1..N.
    explicit system(amorph::box<D> b, std::size_t n = 0) : box(std::move(b)) { resize(n); }

    std::size_t size() const noexcept { return types.size(); }
    bool empty() const noexcept { return types.empty(); }

    void resize(std::size_t n) {
        const auto old = size();
        positions.conservativeResize(D, static_cast<Eigen::Index>(n));
        types.resize(n, 0);
        ids.resize(n);
        for (std::size_t i = old; i < n; ++i) {
            positions.col(static_cast<Eigen::Index>(i)).setZero();
            ids[i] = static_cast<std::int64_t>(i + 1);
        }
        auto resize_opt = [&](auto& m) {
            if (m.cols() == 0) return;
            m.conservativeResize(D, static_cast<Eigen::Index>(n));
            for (std::size_t i = old; i < n; ++i) m.col(static_cast<Eigen::Index>(i)).setZero();
        };
        resize_opt(velocities);
        resize_opt(forces);
        resize_opt(image);
        if (!charges.empty()) charges.resize(n, 0.0);
        for (auto& p : properties) p.values.resize(n, 0.0);
    }

    auto x(std::size_t i) { return positions.col(static_cast<Eigen::Index>(i)); }
    auto x(std::size_t i) const { return positions.col(static_cast<Eigen::Index>(i)); }

    bool has_velocities() const noexcept { return velocities.cols() != 0; }
    bool has_forces() const noexcept { return forces.cols() != 0; }
    bool has_image() const noexcept { return image.cols() != 0; }
    bool has_charges() const noexcept { return !charges.empty(); }

    /// Allocate (zeroed) optional arrays.
    void enable_velocities() { if (!has_velocities()) velocities = coords<D>::Zero(D, n_()); }
    void enable_forces() { if (!has_forces()) forces = coords<D>::Zero(D, n_()); }
    void enable_image() { if (!has_image()) image = icoords<D>::Zero(D, n_()); }
    void enable_charges() { if (!has_charges()) charges.assign(size(), 0.0); }

    /// Mass of atom i (from its species); 0 when unknown.
    double mass(std::size_t i) const { return species[static_cast<std::size_t>(types[i])].mass; }

    /// Count of atoms of each type.
    std::vector<std::size_t> type_counts() const {
        std::vector<std::size_t> c(species.size(), 0);
        for (int t : types) ++c.at(static_cast<std::size_t>(t));
        return c;
    }

    /// Named extra column, or nullptr.
    const property* find_property(const std::string& name) const {
        for (const auto& p : properties)
            if (p.name == name) return &p;
        return nullptr;
    }

    /// Add (or overwrite) a named extra column of N values (`integer`: see property).
    property& set_property(const std::string& name, std::vector<double> values, bool integer = false) {
        if (values.size() != size())
            throw invalid_argument("property '" + name + "' has " + std::to_string(values.size()) +
                                   " values for " + std::to_string(size()) + " atoms");
        for (auto& p : properties)
            if (p.name == name) {
                p.values = std::move(values);
                p.integer = integer;
                return p;
            }
        properties.push_back({name, std::move(values), integer});
        return properties.back();
    }

    /// Positions with image flags applied (x + h * image); a copy of positions
    /// when there are no image flags.
    coords<D> unwrapped_positions() const {
        if (!has_image()) return positions;
        return positions + box.h() * image.template cast<double>();
    }

    /// Storage index of each atom id.
    std::unordered_map<std::int64_t, std::size_t> index_of_ids() const {
        std::unordered_map<std::int64_t, std::size_t> m;
        m.reserve(size());
        for (std::size_t i = 0; i < size(); ++i) m.emplace(ids[i], i);
        return m;
    }

    /// Throw invalid_argument unless the arrays are consistent: sizes agree,
    /// ids are unique, types index the species list, positions are finite.
    void validate() const {
        const auto n = n_();
        auto need = [&](bool ok, const char* what) {
            if (!ok) throw invalid_argument(std::string("system: ") + what);
        };
        need(positions.cols() == n && ids.size() == size(), "positions/ids/types sizes differ");
        need(!has_velocities() || velocities.cols() == n, "velocities size differs");
        need(!has_forces() || forces.cols() == n, "forces size differs");
        need(!has_image() || image.cols() == n, "image size differs");
        need(!has_charges() || charges.size() == size(), "charges size differs");
        for (const auto& p : properties) need(p.values.size() == size(), "property size differs");
        for (int t : types)
            need(t >= 0 && static_cast<std::size_t>(t) < species.size(), "type out of range");
        need(positions.allFinite(), "non-finite position");
        auto sorted = ids;
        std::sort(sorted.begin(), sorted.end());
        need(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end(), "duplicate atom id");
    }

    /// Reorder atoms: new atom k is old atom order[k]. Every per-atom array moves.
    void permute(const std::vector<std::size_t>& order) {
        if (order.size() != size()) throw invalid_argument("permute: order has the wrong size");
        auto cols = [&](auto& m) {
            if (m.cols() == 0) return;
            auto copy = m;
            for (std::size_t k = 0; k < order.size(); ++k)
                m.col(static_cast<Eigen::Index>(k)) = copy.col(static_cast<Eigen::Index>(order[k]));
        };
        auto vals = [&](auto& v) {
            if (v.empty()) return;
            auto copy = v;
            for (std::size_t k = 0; k < order.size(); ++k) v[k] = copy[order[k]];
        };
        cols(positions);
        cols(velocities);
        cols(forces);
        cols(image);
        vals(types);
        vals(ids);
        vals(charges);
        for (auto& p : properties) vals(p.values);
    }

    /// Sort atoms by id (the order LAMMPS writes with `dump_modify sort id`).
    void sort_by_id() {
        std::vector<std::size_t> order(size());
        std::iota(order.begin(), order.end(), std::size_t{0});
        std::stable_sort(order.begin(), order.end(),
                         [&](std::size_t a, std::size_t b) { return ids[a] < ids[b]; });
        permute(order);
    }

    /// Wrap every position into the primary cell, accumulating image flags.
    void wrap_positions() {
        enable_image();
        ivec<D> n;
        for (Eigen::Index i = 0; i < n_(); ++i) {
            positions.col(i) = box.wrap(positions.col(i), &n);
            image.col(i) += n;
        }
    }

    /// Apply the affine deformation F to the cell about its center; with
    /// `remap`, atoms move with it (x -> c + F (x - c)), otherwise they stay.
    void deform(const mat<D>& F, bool remap = true) {
        const vec_t c = box.center();
        if (remap) {
            const coords<D> shifted = positions.colwise() - c;
            positions = (F * shifted).colwise() + c;
        }
        box = box.deformed(F);
    }

private:
    Eigen::Index n_() const noexcept { return static_cast<Eigen::Index>(size()); }
};

/// The system repeated n[0] x n[1] (x n[2]) times along the cell vectors, as
/// LAMMPS's `replicate`: the cell becomes h diag(n) with the same origin; copy
/// (i, j, k) of atom a has id id_a + ((k n1 + j) n0 + i) max_id (copies
/// ordered with i fastest) and sits at its unwrapped position (x_a + h
/// image_a) + h (i, j, k), wrapped into the new cell with image flags that
/// keep that unwrapped position. Velocities, charges and extra columns are
/// copied.
template <int D>
system<D> replicate(const system<D>& in, const std::type_identity_t<std::array<int, D>>& n) {
    std::size_t copies = 1;
    for (int k = 0; k < D; ++k) {
        if (n[static_cast<std::size_t>(k)] < 1)
            throw invalid_argument("replicate: the number of copies along each axis must be >= 1");
        if (!in.box.periodic(k) && n[static_cast<std::size_t>(k)] > 1)
            throw invalid_argument("replicate: cannot replicate along a non-periodic axis");
        copies *= static_cast<std::size_t>(n[static_cast<std::size_t>(k)]);
    }
    const std::size_t N = in.size();
    const std::int64_t max_id = N == 0 ? 0 : *std::max_element(in.ids.begin(), in.ids.end());
    mat<D> scale = mat<D>::Zero();
    for (int k = 0; k < D; ++k) scale(k, k) = n[static_cast<std::size_t>(k)];

    system<D> out(amorph::box<D>(in.box.h() * scale, in.box.origin(), in.box.periodic()), N * copies);
    out.species = in.species;
    out.units = in.units;
    out.enable_image();
    const coords<D> unwrapped = in.unwrapped_positions();
    if (in.has_velocities()) out.enable_velocities();
    if (in.has_charges()) out.enable_charges();
    out.properties = in.properties;
    for (auto& p : out.properties) p.values.resize(N * copies);

    for (std::size_t copy = 0; copy < copies; ++copy) {
        std::size_t rest = copy;
        vec<D> s;
        for (int k = 0; k < D; ++k) {
            const auto nk = static_cast<std::size_t>(n[static_cast<std::size_t>(k)]);
            s[k] = static_cast<double>(rest % nk);
            rest /= nk;
        }
        const vec<D> shift = in.box.h() * s;
        for (std::size_t a = 0; a < N; ++a) {
            const std::size_t b = copy * N + a;
            const auto ai = static_cast<Eigen::Index>(a), bi = static_cast<Eigen::Index>(b);
            ivec<D> image;
            out.positions.col(bi) = out.box.wrap(vec<D>(unwrapped.col(ai) + shift), &image);
            out.image.col(bi) = image;
            out.types[b] = in.types[a];
            out.ids[b] = in.ids[a] + static_cast<std::int64_t>(copy) * max_id;
            if (in.has_velocities()) out.velocities.col(bi) = in.velocities.col(ai);
            if (in.has_charges()) out.charges[b] = in.charges[a];
            for (std::size_t p = 0; p < in.properties.size(); ++p)
                out.properties[p].values[b] = in.properties[p].values[a];
        }
    }
    return out;
}

// Compiled once in amorph::compiled (core/compiled.hpp).
#define AMORPH_SYSTEM_TEMPLATES(P, D) P template class system<D>;
AMORPH_EXTERN_TEMPLATES(AMORPH_SYSTEM_TEMPLATES)

}  // namespace amorph
