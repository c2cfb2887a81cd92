// amorph/dynamics/any_force_field.hpp — a force_field<D, P> whose potential
// is chosen at run time.
//
// Integrators, minimizers and protocols are templates over their force
// provider (concepts.hpp: force_provider). A program that picks the potential
// at run time (potential::any_potential: a std::variant of the potentials)
// would otherwise instantiate every driver once per potential — an MD run, an
// AQS run with three minimizers and an ensemble of them, each seven times per
// dimension — for no gain: the work of a force evaluation is all inside
// compute(), behind one call per evaluation. any_force_field<D> erases the
// potential behind that call (one virtual dispatch per evaluation, nothing per
// atom or pair), so the drivers are instantiated once per dimension, and the
// concrete force fields once, wherever make_any_force_field is instantiated
// (the CLI does that in one source per dimension).
//
// Copying clones the wrapped force field (the potential and options; the
// list is rebuilt on the next compute(), as force_field's copy does).
#pragma once

#include "amorph/core/compiled.hpp"
#include "amorph/dynamics/force_field.hpp"
#include "amorph/potential/factory.hpp"

#include <cstddef>
#include <memory>
#include <utility>
#include <variant>

namespace amorph::dynamics {

template <int D>
    requires supported_dimension<D>
class any_force_field {
public:
    static constexpr int dim = D;

    template <class P>
    explicit any_force_field(force_field<D, P> ff) : impl_(std::make_unique<model<P>>(std::move(ff))) {}
    any_force_field(const any_force_field& o) : impl_(o.impl_->clone()) {}
    any_force_field(any_force_field&&) noexcept = default;
    any_force_field& operator=(const any_force_field&) = delete;
    any_force_field& operator=(any_force_field&&) noexcept = default;

    const potential::result<D>& compute(amorph::system<D>& sys) { return impl_->compute(sys); }
    const potential::result<D>& last() const noexcept { return impl_->last(); }
    potential::compute_options& options() noexcept { return impl_->options(); }
    const potential::compute_options& options() const noexcept { return impl_->options(); }

    double skin() const noexcept { return impl_->skin(); }
    bool wrap() const noexcept { return impl_->wrap(); }
    void set_wrap(bool w) noexcept { impl_->set_wrap(w); }
    std::size_t evaluations() const noexcept { return impl_->evaluations(); }
    std::size_t builds() const noexcept { return impl_->builds(); }
    std::size_t pair_count() const noexcept { return impl_->pair_count(); }
    void invalidate() { impl_->invalidate(); }
    void save(archive_writer& w) const { impl_->save(w); }
    void load(archive_reader& r) { impl_->load(r); }

private:
    struct base {
        virtual ~base() = default;
        virtual std::unique_ptr<base> clone() const = 0;
        virtual const potential::result<D>& compute(amorph::system<D>& sys) = 0;
        virtual const potential::result<D>& last() const noexcept = 0;
        virtual potential::compute_options& options() noexcept = 0;
        virtual const potential::compute_options& options() const noexcept = 0;
        virtual double skin() const noexcept = 0;
        virtual bool wrap() const noexcept = 0;
        virtual void set_wrap(bool w) noexcept = 0;
        virtual std::size_t evaluations() const noexcept = 0;
        virtual std::size_t builds() const noexcept = 0;
        virtual std::size_t pair_count() const noexcept = 0;
        virtual void invalidate() = 0;
        virtual void save(archive_writer& w) const = 0;
        virtual void load(archive_reader& r) = 0;
    };

    template <class P>
    struct model final : base {
        explicit model(force_field<D, P> f) : ff(std::move(f)) {}
        std::unique_ptr<base> clone() const override { return std::make_unique<model>(force_field<D, P>(ff)); }
        const potential::result<D>& compute(amorph::system<D>& sys) override { return ff.compute(sys); }
        const potential::result<D>& last() const noexcept override { return ff.last(); }
        potential::compute_options& options() noexcept override { return ff.options(); }
        const potential::compute_options& options() const noexcept override { return ff.options(); }
        double skin() const noexcept override { return ff.skin(); }
        bool wrap() const noexcept override { return ff.wrap(); }
        void set_wrap(bool w) noexcept override { ff.set_wrap(w); }
        std::size_t evaluations() const noexcept override { return ff.evaluations(); }
        std::size_t builds() const noexcept override { return ff.builds(); }
        std::size_t pair_count() const noexcept override { return ff.pair_count(); }
        void invalidate() override { ff.invalidate(); }
        void save(archive_writer& w) const override { ff.save(w); }
        void load(archive_reader& r) override { ff.load(r); }
        force_field<D, P> ff;
    };

    std::unique_ptr<base> impl_;
};

/// The force field of a run-time potential: force_field<D, P> for the
/// potential `pot` holds, behind any_force_field<D>. Instantiating this
/// instantiates the force field of every potential any_potential can hold.
template <int D>
any_force_field<D> make_any_force_field(const potential::any_potential& pot, double skin,
                                        force_field_options opt = {}) {
    return std::visit([&](const auto& p) { return any_force_field<D>(make_force_field<D>(p, skin, opt)); },
                      pot.variant());
}

}  // namespace amorph::dynamics

#ifdef AMORPH_COMPILED
#include "amorph/dynamics/box_relax.hpp"
#include "amorph/dynamics/cg.hpp"
#include "amorph/dynamics/fire.hpp"
#include "amorph/dynamics/lbfgs.hpp"
#include "amorph/dynamics/minimize.hpp"
#endif

// Compiled once in amorph::compiled (core/compiled.hpp): the force field of
// every run-time potential, make_any_force_field, and minimization and box
// relaxation of any_force_field<D> with each minimizer.

namespace amorph::dynamics {
#define AMORPH_MINIMIZE_TEMPLATE(P_, D, M)                                                                  \
    P_ template min_result minimize(amorph::system<D>&, any_force_field<D>&, const M&, const min_options&); \
    P_ template box_relax_result relax_box(amorph::system<D>&, any_force_field<D>&, const M&, const min_options&, const box_relax_options&);
#define AMORPH_FORCE_FIELD_TEMPLATES(P_, D)                                                                    \
    P_ template class force_field<D, potential::pair_potential<potential::truncated<potential::lennard_jones>>>;     \
    P_ template class force_field<D, potential::pair_potential<potential::shifted<potential::lennard_jones>>>;       \
    P_ template class force_field<D, potential::pair_potential<potential::shifted_force<potential::lennard_jones>>>; \
    P_ template class force_field<D, potential::pair_potential<potential::truncated<potential::buckingham>>>;        \
    P_ template class force_field<D, potential::pair_potential<potential::shifted<potential::buckingham>>>;          \
    P_ template class force_field<D, potential::eam>;                                                           \
    P_ template class force_field<D, potential::stillinger_weber>;                                              \
    P_ template any_force_field<D> make_any_force_field<D>(const potential::any_potential&, double, force_field_options); \
    AMORPH_MINIMIZE_TEMPLATE(P_, D, conjugate_gradient<D>)                                                     \
    AMORPH_MINIMIZE_TEMPLATE(P_, D, fire<D>)                                                                   \
    AMORPH_MINIMIZE_TEMPLATE(P_, D, lbfgs<D>)
AMORPH_EXTERN_TEMPLATES(AMORPH_FORCE_FIELD_TEMPLATES)
}  // namespace amorph::dynamics
