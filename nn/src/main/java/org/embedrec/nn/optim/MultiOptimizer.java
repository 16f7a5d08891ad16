package org.embedrec.nn.optim;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.embedrec.nn.Parameter;
import org.embedrec.nn.TrainingState;

/**
 * Parameter groups, each with its own optimizer: a step sends every parameter to the
 * optimizer of its group, as Wide &amp; Deep trains its wide part with FTRL and its deep part
 * with Adam.
 *
 * <pre>{@code
 * Optimizer optimizer = MultiOptimizer.builder()
 *         .add(wide.parameters(), Ftrl.builder().learningRate(0.05f).l1(1e-4f).build())
 *         .add(deep.parameters(), new Adam(1e-3f))
 *         .build();
 * }</pre>
 *
 * <p>A parameter belongs to exactly one group and an optimizer serves exactly one group. Each
 * group's optimizer steps once per {@link #step} in which at least one of its parameters is
 * given, so training one part alone (pre-training) leaves the other's step count as it was.
 */
public final class MultiOptimizer implements Optimizer {
    private final List<Optimizer> optimizers;
    private final List<List<Parameter>> groups;
    private final Map<Parameter, Integer> groupOf;
    /** Per-group scratch lists for {@link #step}, reused so a step does not allocate. */
    private final List<List<Parameter>> scratch;

    private MultiOptimizer(Builder b) {
        this.optimizers = List.copyOf(b.optimizers);
        List<List<Parameter>> copies = new ArrayList<>();
        this.scratch = new ArrayList<>();
        for (List<Parameter> g : b.groups) {
            copies.add(List.copyOf(g));
            scratch.add(new ArrayList<>(g.size()));
        }
        this.groups = List.copyOf(copies);
        this.groupOf = new IdentityHashMap<>(b.groupOf);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Number of groups. */
    public int groupCount() {
        return groups.size();
    }

    /** The optimizer of group {@code index}, in the order added. */
    public Optimizer optimizer(int index) {
        return optimizers.get(index);
    }

    /** The parameters of group {@code index}, in the order added. */
    public List<Parameter> group(int index) {
        return groups.get(index);
    }

    /**
     * Steps each group's optimizer on the given parameters of that group. Every parameter
     * given must belong to a group.
     */
    @Override
    public void step(List<Parameter> parameters) {
        Objects.requireNonNull(parameters, "parameters");
        for (int k = 0; k < scratch.size(); k++) {
            scratch.get(k).clear();
        }
        for (int i = 0, count = parameters.size(); i < count; i++) {
            Parameter p = parameters.get(i);
            Integer group = groupOf.get(p);
            if (group == null) {
                throw new IllegalArgumentException(
                        "parameter '" + p.name() + "' is in no group of this MultiOptimizer");
            }
            scratch.get(group).add(p);
        }
        for (int k = 0; k < scratch.size(); k++) {
            List<Parameter> given = scratch.get(k);
            if (!given.isEmpty()) {
                optimizers.get(k).step(given);
            }
        }
    }

    /** Steps every group on all of its parameters. */
    public void step() {
        for (int k = 0; k < groups.size(); k++) {
            optimizers.get(k).step(groups.get(k));
        }
    }

    /** Saves each group's optimizer under {@code prefix + "group_" + k + "/"}, with the parameters of that group. */
    @Override
    public void saveState(String prefix, Map<String, Parameter> parameters, TrainingState out) {
        for (int k = 0; k < groups.size(); k++) {
            optimizers.get(k).saveState(groupPrefix(prefix, k), groupParameters(k, parameters), out);
        }
    }

    @Override
    public void restoreState(String prefix, Map<String, Parameter> parameters, TrainingState in) {
        for (int k = 0; k < groups.size(); k++) {
            optimizers.get(k).restoreState(groupPrefix(prefix, k), groupParameters(k, parameters), in);
        }
    }

    private static String groupPrefix(String prefix, int group) {
        return prefix + "group_" + group + "/";
    }

    /** The entries of {@code parameters} that are in group {@code k}, in their order. */
    private Map<String, Parameter> groupParameters(int k, Map<String, Parameter> parameters) {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            Integer group = groupOf.get(e.getValue());
            if (group != null && group == k) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return out;
    }

    /** Collects groups; {@link #build()} checks there is at least one. */
    public static final class Builder {
        private final List<Optimizer> optimizers = new ArrayList<>();
        private final List<List<Parameter>> groups = new ArrayList<>();
        private final Map<Parameter, Integer> groupOf = new IdentityHashMap<>();

        private Builder() {}

        /**
         * Adds a group trained by {@code optimizer}. Throws IllegalArgumentException when a
         * parameter is already in a group (or twice in this one), or the optimizer already
         * serves a group.
         */
        public Builder add(List<Parameter> parameters, Optimizer optimizer) {
            Objects.requireNonNull(parameters, "parameters");
            Objects.requireNonNull(optimizer, "optimizer");
            int index = groups.size();
            for (int k = 0; k < optimizers.size(); k++) {
                if (optimizers.get(k) == optimizer) {
                    throw new IllegalArgumentException(
                            "group " + index + ": the optimizer already serves group " + k
                                    + "; give each group its own instance");
                }
            }
            if (parameters.isEmpty()) {
                throw new IllegalArgumentException("group " + index + " has no parameters");
            }
            Map<Parameter, Integer> added = new IdentityHashMap<>();
            for (Parameter p : parameters) {
                Objects.requireNonNull(p, "parameter");
                Integer previous = groupOf.get(p);
                if (previous == null) {
                    previous = added.get(p);
                }
                if (previous != null) {
                    throw new IllegalArgumentException(
                            "parameter '" + p.name() + "' is already in group " + previous
                                    + ", cannot add it to group " + index);
                }
                added.put(p, index);
            }
            groupOf.putAll(added);
            groups.add(List.copyOf(parameters));
            optimizers.add(optimizer);
            return this;
        }

        public MultiOptimizer build() {
            if (groups.isEmpty()) {
                throw new IllegalStateException("a MultiOptimizer needs at least one group");
            }
            return new MultiOptimizer(this);
        }
    }
}
