package dev.srr.cli;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** srr serve's command line: help, bad options and a busy port are user errors before anything listens. */
class ServeCommandTest {

    @Test
    void helpExplainsTheEndpointsAndBounds() {
        CliRunner r = CliRunner.run("serve", "--help");
        assertEquals(0, r.exitCode(), r.err());
        for (String s : new String[]{"/v1/chat/completions", "/v1/rank", "/v1/embeddings", "/metrics", "--ranker", "--max-queued",
                "--kv-budget-mib", "--max-body-bytes", "SIGTERM"}) {
            assertTrue(r.out().contains(s), s + " in: " + r.out());
        }
    }

    @Test
    void badBoundsAreRefusedByName() {
        CliRunner.run("serve", "demo/model", "--n", "0").assertUserError("--n");
        CliRunner.run("serve", "demo/model", "--port", "70000").assertUserError("--port");
        CliRunner.run("serve", "demo/model", "--max-queued", "-1").assertUserError("--max-queued");
    }

    @Test
    void aBusyPortIsAUserError() throws Exception {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRunner.run("serve", "demo/model", "--port", Integer.toString(busy.getLocalPort()), "--quiet")
                    .assertUserError("cannot listen on 127.0.0.1:" + busy.getLocalPort());
        }
    }
}
