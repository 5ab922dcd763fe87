package dev.srr.engine;

import java.lang.management.ManagementFactory;

/**
 * CPU time of the whole process (all threads), to report work apart from wall time on a machine shared with
 * other jobs; -1 where the JVM does not expose it.
 */
final class ProcessCpu {
    private ProcessCpu() {
    }

    static long nanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }
}
