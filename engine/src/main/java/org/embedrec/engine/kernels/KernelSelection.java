package org.embedrec.engine.kernels;

import java.util.logging.Logger;

/** Chooses the kernels once, at class initialisation. */
final class KernelSelection {
    static final Kernels CHOSEN = choose();

    private KernelSelection() {}

    private static Kernels choose() {
        if (Boolean.getBoolean("embedrec.scalar")) {
            return new ScalarKernels();
        }
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            Logger.getLogger("org.embedrec.engine").info(
                    "jdk.incubator.vector is not present: using scalar kernels "
                            + "(run with --add-modules jdk.incubator.vector for SIMD)");
            return new ScalarKernels();
        }
        return SimdKernels.create();
    }
}
