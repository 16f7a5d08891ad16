package org.embedrec.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.embedrec.engine.Tensor;
import org.junit.jupiter.api.Test;

class ModuleTest {

    /** A module with one parameter of its own, {@code w} of {@code size} zeros, and any children. */
    private static final class Block extends Module {
        Block(String name, int size, Module... children) {
            super(name);
            addParameter("w", Tensor.zeros(size));
            for (Module child : children) {
                addChild(child);
            }
        }

        Parameter add(String paramName, int size) {
            return addParameter(paramName, Tensor.zeros(size));
        }

        <M extends Module> M child(M module) {
            return addChild(module);
        }
    }

    @Test
    void collectsParametersDepthFirstUnderSlashSeparatedPaths() {
        Block tower = new Block("tower", 1, new Block("dense", 2, new Block("inner", 3)), new Block("head", 4));
        tower.add("b", 5);
        assertThat(tower.namedParameters()).containsOnlyKeys("w", "b", "dense/w", "dense/inner/w", "head/w");
        // Own parameters first, in the order registered, then each child's subtree in turn.
        assertThat(tower.namedParameters().keySet())
                .containsExactly("w", "b", "dense/w", "dense/inner/w", "head/w");
        assertThat(tower.parameters()).extracting(Parameter::size).containsExactly(1, 5, 2, 3, 4);
        assertThat(tower.parameterCount()).isEqualTo(15);
        // Paths are relative to the module asked.
        assertThat(tower.children().get(0).namedParameters()).containsOnlyKeys("w", "inner/w");
    }

    @Test
    void pathsAreTheSameEveryTimeTheSameModelIsBuilt() {
        Block a = new Block("m", 1, new Block("x", 1), new Block("x", 1));
        Block b = new Block("m", 1, new Block("x", 1), new Block("x", 1));
        assertThat(a.namedParameters().keySet()).containsExactlyElementsOf(b.namedParameters().keySet());
    }

    @Test
    void aChildWhoseNameIsTakenGetsTheFirstFreeSuffix() {
        Block root = new Block("root", 1);
        root.add("dense", 1);
        root.child(new Block("dense", 1));
        root.child(new Block("dense", 1));
        root.child(new Block("dense_1", 1));
        root.child(new Block("other", 1));
        assertThat(root.namedParameters().keySet())
                .containsExactly("w", "dense", "dense_1/w", "dense_2/w", "dense_1_1/w", "other/w");
        // The child keeps its own name; only its path has the suffix.
        assertThat(root.children()).extracting(Module::name).containsExactly("dense", "dense", "dense_1", "other");
    }

    @Test
    void trainingModeReachesEveryDescendantIncludingLaterOnes() {
        Block leaf = new Block("leaf", 1);
        Block root = new Block("root", 1, new Block("mid", 1, leaf));
        assertThat(leaf.isTraining()).isTrue();
        root.setTraining(false);
        assertThat(root.isTraining()).isFalse();
        assertThat(root.children().get(0).isTraining()).isFalse();
        assertThat(leaf.isTraining()).isFalse();
        Block late = root.child(new Block("late", 1));
        assertThat(late.isTraining()).as("a child added later takes the parent's mode").isFalse();
        root.setTraining(true);
        assertThat(leaf.isTraining()).isTrue();
        assertThat(late.isTraining()).isTrue();
    }

    @Test
    void zeroGradClearsTheGradientOfEveryParameterInTheTree() {
        Block root = new Block("root", 2, new Block("child", 3));
        for (Parameter p : root.parameters()) {
            float[] g = p.value().gradBuffer();
            java.util.Arrays.fill(g, 7f);
        }
        root.zeroGrad();
        for (Parameter p : root.parameters()) {
            assertThat(p.value().grad()).as(p.name()).containsOnly(0f);
        }
    }

    @Test
    void rejectsBadNamesAndRepeatedParameters() {
        assertThatThrownBy(() -> new Block(null, 1))
                .hasMessage("a module name must be non-empty and without '/': 'null'");
        assertThatThrownBy(() -> new Block(" ", 1))
                .hasMessage("a module name must be non-empty and without '/': ' '");
        assertThatThrownBy(() -> new Block("a/b", 1))
                .hasMessage("a module name must be non-empty and without '/': 'a/b'");
        Block block = new Block("block", 1);
        assertThatThrownBy(() -> block.add("w", 2)).hasMessage("module 'block' already has a parameter 'w'");
    }

    @Test
    void describesItselfByTypeNameAndSize() {
        assertThat(new Block("root", 2, new Block("child", 3))).hasToString("Block(root, 5 parameters)");
    }
}
