package org.embedrec.models.retrieval;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.embedrec.data.BadLinePolicy;
import org.embedrec.data.movielens.MovieLensReader;
import org.embedrec.data.RatingsData;
import org.embedrec.data.Split;
import org.embedrec.data.synthetic.SyntheticMovieLens;
import org.embedrec.engine.Rng;
import org.embedrec.nn.train.Callback;
import org.embedrec.nn.train.EpochResult;
import org.embedrec.nn.train.History;

/**
 * Scratch timing run, not a test: seconds and process CPU seconds per training epoch and per
 * validation of the two-tower model. Run with the test classpath:
 * {@code java ... org.embedrec.models.retrieval.TwoTowerBench DIR|synthetic EPOCHS LAYERS [VALIDATION_FREQ]},
 * e.g. {@code ../shared/data/ml-100k 20 64,32 5}.
 */
public final class TwoTowerBench {
    private TwoTowerBench() {}

    public static void main(String[] args) {
        String source = args.length > 0 ? args[0] : "synthetic";
        int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        List<Integer> layers = new ArrayList<>();
        for (String s : (args.length > 2 ? args[2] : "64,32").split(",")) {
            layers.add(Integer.parseInt(s.trim()));
        }
        int freq = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        RatingsData data = source.equals("synthetic")
                ? SyntheticMovieLens.generate(SyntheticMovieLens.Config.defaults()).data()
                : MovieLensReader.read(Path.of(source), BadLinePolicy.FAIL);
        TwoTowerConfig config = TwoTowerConfig.defaults().withLayers(layers).withEpochs(epochs).withValidationFreq(freq);
        Split split = Split.random(data.interactions(), 0.8, config.seed());
        RetrievalData prepared = RetrievalData.prepare(data, split);
        TwoTowerModel model = new TwoTowerModel(prepared.queryFeatures(), prepared.candidateFeatures(), config,
                new Rng(config.seed()));
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<Double> cpu = new ArrayList<>();
        Callback cpuPerEpoch = new Callback() {
            long last = os.getProcessCpuTime();

            @Override
            public boolean onEpochEnd(EpochResult r) {
                long now = os.getProcessCpuTime();
                cpu.add((now - last) / 1e9);
                last = now;
                System.out.printf("epoch %d loss %.1f  %.3fs  cpu %.3fs  val %.3fs %s%n", r.epoch(), r.loss(),
                        r.seconds(), cpu.get(cpu.size() - 1), r.validationSeconds(), r.validation());
                return true;
            }
        };
        History h = TwoTowerTraining.fit(model, prepared.train(), prepared.test(), cpuPerEpoch);
        double[] val = h.epochs().stream().filter(EpochResult::validated).mapToDouble(EpochResult::validationSeconds)
                .sorted().toArray();
        double[] c = cpu.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("median epoch %.3fs (training only), median cpu per epoch (incl. validation) %.3fs, "
                + "validation seconds %s%n", h.medianEpochSeconds(), c[c.length / 2], Arrays.toString(val));
    }
}
