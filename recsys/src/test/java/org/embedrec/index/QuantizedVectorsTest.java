package org.embedrec.index;

import static org.assertj.core.api.Assertions.assertThat;

import org.embedrec.engine.Rng;
import org.junit.jupiter.api.Test;

/** The byte codes' error bounds, per value and per inner product, and the row order the caller asks for. */
class QuantizedVectorsTest {

    @Test
    void everyValueIsWithinHalfAStepOfWhatItsCodeStandsFor() {
        int size = 500;
        int dim = 12;
        Rng rng = new Rng(31);
        float[] vectors = RandomVectors.gaussian(rng, size * dim);
        for (int i = 0; i < size; i++) {
            vectors[i * dim + 3] *= 40; // a wide dimension: its step is 40 times the others'
            vectors[i * dim + 7] = 2.5f; // a constant one: every code stands for the value
        }
        QuantizedVectors codes = QuantizedVectors.of(vectors, dim, identity(size));
        for (int i = 0; i < size; i++) {
            for (int d = 0; d < dim; d++) {
                assertThat(Math.abs(codes.decoded(i, d) - vectors[i * dim + d])).as("row %d, dimension %d", i, d)
                        .isLessThanOrEqualTo(codes.maxError(d) * 1.0001f + 1e-6f);
            }
            assertThat(codes.decoded(i, 7)).isEqualTo(2.5f);
        }
        assertThat(codes.maxError(3)).isGreaterThan(20 * codes.maxError(0));
    }

    /** |q . v - q . v'| <= sum_d |q_d| step_d / 2, for queries of any scale and sign. */
    @Test
    void innerProductsAreWithinTheBoundOfTheSteps() {
        int size = 2000;
        int dim = 32;
        Rng rng = new Rng(32);
        float[] vectors = RandomVectors.gaussian(rng, size * dim);
        QuantizedVectors codes = QuantizedVectors.of(vectors, dim, identity(size));
        float[] scaled = new float[dim];
        for (int q = 0; q < 50; q++) {
            float[] query = RandomVectors.gaussian(rng, dim);
            for (int d = 0; d < dim; d++) {
                query[d] *= 1 + q;
            }
            float bias = codes.prepare(query, scaled);
            double bound = 0;
            double magnitude = 0;
            for (int d = 0; d < dim; d++) {
                bound += Math.abs(query[d]) * codes.maxError(d);
                magnitude += Math.abs(query[d]) * 4;
            }
            for (int i = 0; i < size; i++) {
                double truth = RandomVectors.dot(query, 0, vectors, i, dim);
                assertThat((double) codes.score(scaled, bias, i)).as("query %d, row %d", q, i)
                        .isCloseTo(truth, org.assertj.core.api.Assertions.within(bound + 1e-5 * magnitude));
            }
        }
    }

    @Test
    void rowsSitInTheOrderAsked() {
        int size = 50;
        int dim = 5;
        float[] vectors = RandomVectors.gaussian(new Rng(33), size * dim);
        int[] reversed = new int[size];
        for (int r = 0; r < size; r++) {
            reversed[r] = size - 1 - r;
        }
        QuantizedVectors inOrder = QuantizedVectors.of(vectors, dim, identity(size));
        QuantizedVectors backwards = QuantizedVectors.of(vectors, dim, reversed);
        for (int r = 0; r < size; r++) {
            for (int d = 0; d < dim; d++) {
                assertThat(backwards.decoded(r, d)).isEqualTo(inOrder.decoded(size - 1 - r, d));
            }
        }
    }

    private static int[] identity(int size) {
        int[] order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        return order;
    }
}
