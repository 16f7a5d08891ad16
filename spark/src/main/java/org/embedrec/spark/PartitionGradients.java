package org.embedrec.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.embedrec.nn.Parameter;

/**
 * The value {@code treeAggregate} carries: each partition's {@link Gradients} under its index.
 * Merging only gathers; the sum is taken once, on the driver, in partition order
 * ({@link #sumInto}). Addition is not associative, so summing as the tree's partial results
 * arrive (in whatever order tasks finish) would make a step depend on timing; this way a step
 * depends on the partitioning alone, and (the sums being in double) on that only in a rare last
 * bit of a float.
 */
final class PartitionGradients implements Serializable {
    private static final long serialVersionUID = 1L;

    private final TreeMap<Integer, Gradients> byPartition = new TreeMap<>();

    PartitionGradients add(int partition, Gradients g) {
        if (byPartition.put(partition, g) != null) {
            throw new IllegalStateException("partition " + partition + " computed its gradients twice");
        }
        return this;
    }

    PartitionGradients merge(PartitionGradients other) {
        for (Map.Entry<Integer, Gradients> e : other.byPartition.entrySet()) {
            add(e.getKey(), e.getValue());
        }
        return this;
    }

    /** Rows of the batch, over all partitions. */
    int rows() {
        int n = 0;
        for (Gradients g : byPartition.values()) {
            n += g.rows;
        }
        return n;
    }

    /** Mean loss of the batch; NaN when it has no rows. */
    double meanLoss() {
        double s = 0;
        for (Gradients g : byPartition.values()) {
            s += g.lossSum;
        }
        return s / rows();
    }

    /**
     * Sets {@code params}' gradients to the batch's mean-loss gradient: the partitions' sums added
     * in partition order (in double, {@link Gradients}), divided by the batch's rows, rounded to float.
     */
    void sumInto(List<Parameter> params) {
        total(params.size()).writeMean(params, rows());
    }

    /** Sets {@code params}' gradients to the partitions' sums added in partition order (a summed loss's gradient). */
    void addInto(List<Parameter> params) {
        total(params.size()).writeMean(params, 1);
    }

    private Gradients total(int parameters) {
        Gradients total = Gradients.empty(parameters);
        for (Gradients g : byPartition.values()) {
            g.addTo(total);
        }
        return total;
    }
}
