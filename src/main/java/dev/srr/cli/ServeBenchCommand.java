package dev.srr.cli;

import dev.srr.SrrException;
import dev.srr.bench.ProcessMemory;
import dev.srr.bench.ServeLoad;
import dev.srr.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench-serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Load-test a running srr serve: for each client count, that many concurrent clients send --requests chat "
                + "completions in all; reports tokens/s, p50/p99 latency and the batch sizes the server reached, then the ratio of "
                + "the largest client count's throughput to one client's. With --pid, a last phase sends --memory-requests short "
                + "requests (after 100 to warm up) and reports the server's resident memory and Java heap in use before and after (each after a full "
                + "GC via jcmd, when it is on PATH).",
                "With --pid, phases also report the server's CPU seconds and tokens per CPU-second, which hold still when other "
                        + "programs share the machine. One JSON object per phase on stdout. scripts/bench-serve starts a server on loopback and runs this."})
public final class ServeBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "URL", description = "The server, e.g. http://127.0.0.1:8080.")
    URI url;

    @Option(names = "--clients", split = ",", defaultValue = "1,4,16", description = "Concurrent clients per phase (default: ${DEFAULT-VALUE}).")
    List<Integer> clients;

    @Option(names = "--requests", defaultValue = "32", description = "Requests per phase (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--max-tokens", defaultValue = "32", description = "max_tokens of each request (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--k", defaultValue = "1", description = "Candidates per request (srr.k; default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--prompt", defaultValue = "Write a short poem about the sea.", description = "The user message.")
    String prompt;

    @Option(names = "--pid", description = "The server's process id, for the memory phase (Linux /proc).")
    String pid;

    @Option(names = "--memory-requests", defaultValue = "1000", description = "Requests of the memory phase; 0 skips it (default: ${DEFAULT-VALUE}).")
    int memoryRequests;

    @Override
    public Integer call() throws Exception {
        if (requests < 1 || maxTokens < 1 || k < 1 || memoryRequests < 0) {
            throw new SrrException("--requests, --max-tokens and --k must be at least 1, --memory-requests at least 0");
        }
        for (int c : clients) if (c < 1) throw new SrrException("--clients must be positive, got " + c);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServeLoad load = new ServeLoad(url, pid);
        load.phase(1, 2, 4, k, prompt); // warm up the JIT and the server's buffers
        List<Map<String, Object>> phases = new ArrayList<>();
        for (int c : clients) {
            err.println("bench-serve: " + c + " client(s), " + requests + " requests of max_tokens " + maxTokens + ", K = " + k);
            Map<String, Object> p = load.phase(c, requests, maxTokens, k, prompt);
            phases.add(p);
            out.println(Json.write(p));
            out.flush();
        }
        if (phases.size() > 1) {
            Map<String, Object> ratio = new LinkedHashMap<>();
            ratio.put("of_clients", phases.getLast().get("clients"));
            ratio.put("to_clients", phases.getFirst().get("clients"));
            ratio.put("throughput_ratio", ratio(phases, "tokens_per_s"));
            if (pid != null) ratio.put("per_cpu_s_ratio", ratio(phases, "tokens_per_cpu_s"));
            out.println(Json.write(ratio));
        }
        if (pid != null && memoryRequests > 0) {
            err.println("bench-serve: memory phase, " + memoryRequests + " requests of max_tokens 4 from 16 clients");
            load.phase(16, Math.min(100, memoryRequests), 4, k, prompt); // the server's pools and JIT reach their steady size first
            long[] before = afterGc(err);
            Map<String, Object> p = load.phase(16, memoryRequests, 4, k, prompt);
            long[] after = afterGc(err);
            Map<String, Object> m = new LinkedHashMap<>(p);
            m.put("rss_before_kib", before[0]);
            m.put("rss_after_kib", after[0]);
            m.put("rss_growth_kib", after[0] - before[0]);
            if (before[1] >= 0 && after[1] >= 0) {
                m.put("heap_used_before_kib", before[1]);
                m.put("heap_used_after_kib", after[1]);
                m.put("heap_growth_kib", after[1] - before[1]);
            }
            out.println(Json.write(m));
        }
        return 0;
    }

    private static double ratio(List<Map<String, Object>> phases, String key) {
        double first = ((Number) phases.getFirst().get(key)).doubleValue();
        double last = ((Number) phases.getLast().get(key)).doubleValue();
        return Math.round(last / first * 100) / 100.0;
    }

    /** The server's resident memory and its Java heap in use (-1 when jcmd cannot say), in KiB, after a full GC. */
    private long[] afterGc(PrintWriter err) throws InterruptedException {
        long heap = -1;
        try {
            jcmd("GC.run");
            java.util.regex.Matcher used = java.util.regex.Pattern.compile("used (\\d+)K").matcher(jcmd("GC.heap_info"));
            if (used.find()) heap = Long.parseLong(used.group(1));
        } catch (java.io.IOException e) {
            err.println("bench-serve: no jcmd on PATH; resident memory without a GC first");
        }
        Long rss = ProcessMemory.snapshot(pid).get("VmRSS");
        if (rss == null) throw new SrrException("no /proc/" + pid + "/status: is the server running here?");
        return new long[]{rss, heap};
    }

    private String jcmd(String command) throws java.io.IOException, InterruptedException {
        Process p = new ProcessBuilder("jcmd", pid, command).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return text;
    }
}
