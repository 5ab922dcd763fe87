package dev.srr.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Runs {@link FakeHub} as a process, for scripts/check-hub-interop (Python's huggingface_hub against the same
 * server as srr). Options:
 *
 * <pre>
 *   --repo ORG/NAME=DIR   serve the files under DIR as a repository (repeatable)
 *   --gated ORG/NAME      make a repository gated (needs --token)
 *   --token TOKEN         a valid token
 *   --ready FILE          write the endpoint URL to FILE once serving
 *   --log FILE            append one line per request: server method path range authorization?
 * </pre>
 *
 * Serves until killed.
 */
public final class FakeHubMain {
    private FakeHubMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        FakeHub hub = new FakeHub();
        Path ready = null;
        Path log = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[++i] : "";
            switch (a) {
                case "--repo" -> {
                    int eq = v.indexOf('=');
                    hub.repo(v.substring(0, eq)).folder(Path.of(v.substring(eq + 1)));
                }
                case "--gated" -> hub.repo(v).gated();
                case "--token" -> hub.acceptToken(v);
                case "--ready" -> ready = Path.of(v);
                case "--log" -> log = Path.of(v);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (ready != null) {
            Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
            Files.writeString(tmp, hub.endpoint() + "\n");
            Files.move(tmp, ready, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
        int written = 0;
        while (true) {
            Thread.sleep(100);
            if (log != null) {
                var requests = hub.requests();
                StringBuilder sb = new StringBuilder();
                for (; written < requests.size(); written++) {
                    FakeHub.Request r = requests.get(written);
                    sb.append(r.server()).append(' ').append(r.method()).append(' ').append(r.path()).append(' ')
                            .append(r.range() == null ? "-" : r.range().replace(' ', '_')).append(' ')
                            .append(r.authorization() == null ? "noauth" : "auth").append('\n');
                }
                if (!sb.isEmpty()) Files.writeString(log, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
    }
}
