package dev.srr.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Resident memory of this process from /proc (Linux): peak, and now split into file-backed (mapped weights) and anonymous. */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** kB values of VmHWM, VmRSS, RssAnon, RssFile; empty where /proc is not there. */
    public static Map<String, Long> snapshot() {
        return snapshot("self");
    }

    /** The same for another process, by its id ("self" for this one). */
    public static Map<String, Long> snapshot(String pid) {
        Map<String, Long> out = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc", pid, "status"))) {
                for (String key : new String[]{"VmHWM", "VmRSS", "RssAnon", "RssFile"}) {
                    if (line.startsWith(key + ":")) out.put(key, Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: report nothing rather than fail a benchmark
        }
        return out;
    }
}
