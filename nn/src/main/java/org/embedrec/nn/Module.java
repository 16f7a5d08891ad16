package org.embedrec.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.embedrec.engine.Rng;
import org.embedrec.engine.Tensor;

/**
 * A part of a model that owns state: named parameters, child modules and a training mode.
 * Parameters are collected depth first under slash-separated paths
 * ({@code "tower/dense_1/kernel"}); the paths are stable and are the names of the tensors in
 * saved models. Training mode (dropout on) and inference mode propagate to the children.
 *
 * <p>A module that draws random numbers while training (dropout masks) registers its generator
 * with {@link #addRandomStream}, so that a checkpoint saves where the stream is and a resumed
 * run draws the same numbers as one that never stopped.
 *
 * <p>A module says nothing about how it is called: a {@link Layer} maps one tensor to one
 * tensor, a {@link MergeLayer} several tensors to one, and a model or tower takes whatever
 * inputs it needs through methods of its own.
 */
public abstract class Module {
    private final String name;
    private final Map<String, Parameter> ownParameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, Rng> randomStreams = new LinkedHashMap<>();
    private boolean training = true;

    protected Module(String name) {
        if (name == null || name.isBlank() || name.contains("/")) {
            throw new IllegalArgumentException("a module name must be non-empty and without '/': '" + name + "'");
        }
        this.name = name;
    }

    public final String name() {
        return name;
    }

    /** Registers a parameter owned by this module. */
    protected final Parameter addParameter(String paramName, Tensor value) {
        if (ownParameters.containsKey(paramName)) {
            throw new IllegalArgumentException("module '" + name + "' already has a parameter '" + paramName + "'");
        }
        Parameter p = new Parameter(paramName, value);
        ownParameters.put(paramName, p);
        return p;
    }

    /** Registers a generator this module draws from while training; returns it. */
    protected final Rng addRandomStream(String streamName, Rng rng) {
        if (randomStreams.containsKey(streamName)) {
            throw new IllegalArgumentException("module '" + name + "' already has a random stream '" + streamName + "'");
        }
        randomStreams.put(streamName, rng);
        return rng;
    }

    /**
     * Registers a child module; a child whose name is taken gets the first free suffix
     * {@code _1, _2, ...} in its path. Returns the child.
     */
    protected final <M extends Module> M addChild(M child) {
        String key = child.name();
        for (int i = 1; children.containsKey(key) || ownParameters.containsKey(key); i++) {
            key = child.name() + "_" + i;
        }
        children.put(key, child);
        child.setTraining(training);
        return child;
    }

    /** Child modules in the order added. */
    public final List<Module> children() {
        return Collections.unmodifiableList(new ArrayList<>(children.values()));
    }

    /** All parameters of this module and its children, depth first, in the order registered. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** All parameters by path relative to this module. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return out;
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        for (Map.Entry<String, Parameter> e : ownParameters.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + "/", out);
        }
    }

    /** The random streams of this module and its children by path, as {@link #namedParameters} names parameters. */
    public final Map<String, Rng> namedRandomStreams() {
        Map<String, Rng> out = new LinkedHashMap<>();
        collectStreams("", out);
        return out;
    }

    private void collectStreams(String prefix, Map<String, Rng> out) {
        for (Map.Entry<String, Rng> e : randomStreams.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collectStreams(prefix + e.getKey() + "/", out);
        }
    }

    /** Number of trainable scalars. */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) {
            n += p.size();
        }
        return n;
    }

    public final boolean isTraining() {
        return training;
    }

    /** Switches training mode (dropout active) on or off, for this module and its children. */
    public final void setTraining(boolean value) {
        training = value;
        for (Module child : children.values()) {
            child.setTraining(value);
        }
    }

    /** Clears the gradients of every parameter. */
    public final void zeroGrad() {
        for (Parameter p : parameters()) {
            p.zeroGrad();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(" + name + ", " + parameterCount() + " parameters)";
    }
}
