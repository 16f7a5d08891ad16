package org.embedrec.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.spi.ToolProvider;
import java.util.stream.Stream;
import org.embedrec.engine.Tensor;
import org.embedrec.models.rating.RatingModel;
import org.embedrec.models.rating.WideAndDeep;
import org.embedrec.recommend.TwoTowerRecommender;
import org.embedrec.models.retrieval.CandidateTower;
import org.embedrec.models.retrieval.QueryTower;
import org.embedrec.models.retrieval.TwoTowerModel;
import org.embedrec.nn.Layer;
import org.embedrec.nn.MergeLayer;
import org.embedrec.nn.Module;
import org.junit.jupiter.api.Test;

/**
 * Only modules that map tensors to tensors are layers: no class of the recsys main code may
 * be a {@link Layer} (or {@link MergeLayer}) whose {@code apply} cannot return. A model that
 * takes batches of its own kind extends {@link Module} and has no {@code apply} at all.
 *
 * <p>The check reads the compiled classes: every {@code apply} that a layer of recsys declares
 * is disassembled with {@code javap}, and its code must contain a return instruction. A body
 * that only throws has none, whatever it throws and whatever message it builds.
 */
class NoThrowingApplyTest {

    /** Wide &amp; Deep's parts, package-private in {@code models.rating}, so named here by their binary names. */
    private static final String WIDE_LINEAR = "org.embedrec.models.rating.WideLinear";
    private static final String DEEP_TOWER = "org.embedrec.models.rating.DeepTower";

    @Test
    void modelsAndTowersThatTakeTheirOwnInputsAreModulesNotLayers() throws ClassNotFoundException {
        List<Class<?>> models = List.of(load(WIDE_LINEAR), load(DEEP_TOWER), QueryTower.class, CandidateTower.class,
                RatingModel.class, TwoTowerModel.class, WideAndDeep.class);
        for (Class<?> c : models) {
            assertThat(Module.class.isAssignableFrom(c)).as(c.getSimpleName() + " is a Module").isTrue();
            assertThat(Layer.class.isAssignableFrom(c)).as(c.getSimpleName() + " is a Layer").isFalse();
            assertThat(MergeLayer.class.isAssignableFrom(c)).as(c.getSimpleName() + " is a MergeLayer").isFalse();
            assertThat(applyMethods(c)).as(c.getSimpleName() + " declares apply").isEmpty();
        }
    }

    @Test
    void everyApplyDeclaredByALayerOfRecsysCanReturn() throws Exception {
        List<Class<?>> classes = recsysMainClasses();
        // The scan must see the code it guards, every models package included, or it would pass on nothing.
        assertThat(classes).contains(FeatureTower.class, RatingModel.class, TwoTowerModel.class, load(WIDE_LINEAR),
                TwoTowerRecommender.class);
        List<String> throwing = new ArrayList<>();
        for (Class<?> c : classes) {
            if (!Layer.class.isAssignableFrom(c) && !MergeLayer.class.isAssignableFrom(c)) {
                continue;
            }
            for (Method m : applyMethods(c)) {
                if (!canReturn(c, m)) {
                    throwing.add(c.getName() + "." + m.getName());
                }
            }
        }
        assertThat(throwing).as("layers of recsys whose apply only throws; make them Modules instead").isEmpty();
    }

    /** The check itself tells a throwing apply from one that returns, so it can fail. */
    @Test
    void theCheckFlagsAnApplyThatOnlyThrows() throws Exception {
        assertThat(canReturn(ThrowingLayer.class, applyMethods(ThrowingLayer.class).get(0))).isFalse();
        assertThat(canReturn(ThrowingMerge.class, applyMethods(ThrowingMerge.class).get(0))).isFalse();
        assertThat(canReturn(ReturningLayer.class, applyMethods(ReturningLayer.class).get(0))).isTrue();
    }

    /** A layer of the kind this test keeps out of recsys. */
    private static final class ThrowingLayer extends Layer {
        ThrowingLayer() {
            super("throwing");
        }

        @Override
        public Tensor apply(Tensor input) {
            throw new UnsupportedOperationException("call embed(...) instead of apply(" + input + ")");
        }
    }

    private static final class ThrowingMerge extends MergeLayer {
        ThrowingMerge() {
            super("throwing_merge");
        }

        @Override
        public Tensor apply(List<Tensor> inputs) {
            throw new IllegalStateException("not a merge");
        }
    }

    private static final class ReturningLayer extends Layer {
        ReturningLayer() {
            super("returning");
        }

        @Override
        public Tensor apply(Tensor input) {
            if (input.size() == 0) {
                throw new IllegalArgumentException("empty");
            }
            return input;
        }
    }

    private static Class<?> load(String binaryName) throws ClassNotFoundException {
        return Class.forName(binaryName, false, NoThrowingApplyTest.class.getClassLoader());
    }

    /** The non-synthetic {@code apply} methods {@code c} declares itself, whatever their parameters. */
    private static List<Method> applyMethods(Class<?> c) {
        List<Method> out = new ArrayList<>();
        for (Method m : c.getDeclaredMethods()) {
            if (m.getName().equals("apply") && !m.isSynthetic() && !Modifier.isAbstract(m.getModifiers())) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * Every class compiled from recsys/src/main, found by walking (into every subpackage) the
     * directory RatingModel was loaded from.
     */
    private static List<Class<?>> recsysMainClasses() throws IOException, URISyntaxException, ClassNotFoundException {
        Path root = Path.of(RatingModel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(root).as("recsys main classes are a directory while recsys's own tests run").isDirectory();
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            files.filter(p -> p.toString().endsWith(".class"))
                    .map(p -> root.relativize(p).toString())
                    .filter(n -> !n.endsWith("module-info.class") && !n.endsWith("package-info.class"))
                    .forEach(names::add);
        }
        List<Class<?>> out = new ArrayList<>();
        ClassLoader loader = NoThrowingApplyTest.class.getClassLoader();
        for (String n : names) {
            String binary = n.substring(0, n.length() - ".class".length()).replace('/', '.').replace('\\', '.');
            out.add(Class.forName(binary, false, loader));
        }
        return out;
    }

    /**
     * Whether the bytecode of {@code method} has a return instruction: javap's disassembly of
     * the method's block, from its declaration to the blank line that ends it.
     */
    private static boolean canReturn(Class<?> owner, Method method) throws URISyntaxException {
        String fileName = owner.getName().substring(owner.getName().lastIndexOf('.') + 1) + ".class";
        Path file = Path.of(owner.getResource(fileName).toURI());
        ToolProvider javap = ToolProvider.findFirst("javap")
                .orElseThrow(() -> new AssertionError("javap is not available: run the tests on a JDK"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = javap.run(new PrintWriter(out), new PrintWriter(err), "-c", "-p", file.toString());
        assertThat(status).as("javap " + file + ": " + err).isZero();
        String firstParameter = method.getParameterTypes()[0].getName();
        boolean inMethod = false;
        boolean found = false;
        for (String line : out.toString().split("\\R")) {
            if (!inMethod) {
                inMethod = line.matches(".* apply\\(" + firstParameter.replace(".", "\\.") + "[<,)].*");
                found |= inMethod;
            } else if (line.isBlank()) {
                inMethod = false;
            } else if (line.matches("\\s*\\d+: [ailfd]?return\\b.*")) {
                return true;
            }
        }
        assertThat(found).as("javap shows " + owner.getName() + "." + method).isTrue();
        return false;
    }
}
