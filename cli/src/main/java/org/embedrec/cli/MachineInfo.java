package org.embedrec.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.embedrec.engine.Parallel;
import org.embedrec.engine.kernels.Kernels;

/** What a result was measured on, for reports: cores, threads used, JVM, SIMD kernels. */
final class MachineInfo {
    private MachineInfo() {}

    static ObjectNode toJson() {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("threads", Parallel.threads());
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("simd", Kernels.get().name());
        m.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        return m;
    }
}
