package dev.srr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.srr.TestData;
import dev.srr.hub.FakeHub;
import dev.srr.io.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code srr pull} and Hub names given to other commands as MODEL, against {@link FakeHub}. The Hub and the cache
 * are set through system properties named like huggingface_hub's environment variables (which take precedence
 * over the environment), so the tests never touch the user's cache.
 */
class PullCommandTest {
    static final Path TINY = TestData.goldenModel("qwen3-tiny-bf16").resolve("model");
    static final List<String> PROPERTIES = List.of("HF_ENDPOINT", "HF_HUB_CACHE", "HF_HOME", "HF_TOKEN", "HF_HUB_OFFLINE");

    @TempDir
    Path dir;
    FakeHub hub;
    Path cache;

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
        hub.repo("org/tiny").folder(TINY);
        hub.repo("org/tiny-GGUF").file("README.md", "# tiny")
                .file("tiny-BF16.gguf", Files.readAllBytes(TestData.resource("gguf/tiny-qwen3-tiny-bf16.gguf")))
                .file("tiny-F16.gguf", Files.readAllBytes(TestData.resource("gguf/tiny-qwen2-tiny-f16.gguf")));
        cache = dir.resolve("hub");
        System.setProperty("HF_ENDPOINT", hub.endpoint());
        System.setProperty("HF_HUB_CACHE", cache.toString());
        System.setProperty("HF_HOME", dir.resolve("home").toString()); // no token file
        System.setProperty("HF_HUB_OFFLINE", "0");
    }

    @AfterEach
    void stop() {
        PROPERTIES.forEach(System::clearProperty);
        hub.close();
    }

    String snapshot() {
        return cache.resolve("models--org--tiny/snapshots").resolve(hub.repo("org/tiny").commit()).toString();
    }

    @Test
    void pullPrintsTheSnapshotFolderAndReportsProgressOnStandardError() {
        CliRunner r = CliRunner.run("pull", "org/tiny");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals(snapshot() + "\n", r.out());
        assertTrue(r.err().contains("pull: org/tiny@main (commit "), r.err());
        assertTrue(r.err().contains("3 to download (403 kB)"), r.err());
        assertTrue(r.err().contains("pull: model.safetensors: 402 kB in "), r.err());
        assertTrue(r.err().contains("3/3 files, 403 kB of 403 kB"), r.err());
        assertTrue(r.err().contains("pull: done: 3 of 3 files downloaded"), r.err());
    }

    @Test
    void jsonSaysWhatWasDownloadedAndWhatWasCached() {
        JsonNode first = Json.parse(CliRunner.run("pull", "org/tiny", "--json", "--quiet").out(), "stdout");
        assertEquals("org/tiny", first.get("repo").asText());
        assertEquals("main", first.get("revision").asText());
        assertEquals(hub.repo("org/tiny").commit(), first.get("commit").asText());
        assertEquals(snapshot(), first.get("snapshot").asText());
        assertEquals(3, first.get("downloaded_files").asInt());
        assertEquals(403_240, first.get("downloaded_bytes").asLong());
        assertEquals(0, first.get("cached_bytes").asLong());
        assertEquals("model.safetensors", first.get("files").get(2).get("path").asText());
        assertEquals(402_232, first.get("files").get(2).get("size").asLong());
        assertEquals("downloaded", first.get("files").get(2).get("status").asText());

        CliRunner again = CliRunner.run("pull", "org/tiny", "--json");
        JsonNode second = Json.parse(again.out(), "stdout");
        assertEquals(0, second.get("downloaded_bytes").asLong());
        assertEquals(403_240, second.get("cached_bytes").asLong());
        assertEquals("cached", second.get("files").get(0).get("status").asText());
        assertTrue(again.err().contains("3 files, all in the cache"), again.err());
    }

    @Test
    void oneGgufFileByItsQuantizationTag() {
        CliRunner r = CliRunner.run("pull", "org/tiny-GGUF:BF16", "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().strip().endsWith("/tiny-BF16.gguf"), r.out());
        assertEquals("", r.err());
        assertFalse(Files.exists(Path.of(r.out().strip()).resolveSibling("tiny-F16.gguf")));
    }

    @Test
    void everyCommandTakingAModelAcceptsAHubNameWithPull() {
        CliRunner missing = CliRunner.run("info", "org/tiny");
        missing.assertUserError("org/tiny", "not in the Hugging Face cache", "srr pull org/tiny", "--pull");

        CliRunner pulled = CliRunner.run("info", "org/tiny", "--pull", "--json");
        assertEquals(0, pulled.exitCode(), pulled.err());
        JsonNode info = Json.parse(pulled.out(), "stdout");
        assertEquals("qwen3", info.get("family").asText());
        assertEquals(snapshot(), info.get("path").asText());
        assertTrue(pulled.err().contains("pull: org/tiny@main"), pulled.err());

        System.setProperty("HF_HUB_OFFLINE", "1");
        CliRunner offline = CliRunner.run("info", "org/tiny", "--json");
        assertEquals(0, offline.exitCode(), offline.err());
        assertEquals(snapshot(), Json.parse(offline.out(), "stdout").get("path").asText());

        CliRunner gguf = CliRunner.run("convert", "org/tiny-GGUF:BF16", "--out", dir.resolve("converted").toString());
        gguf.assertUserError("org/tiny-GGUF:BF16", "HF_HUB_OFFLINE");
        System.setProperty("HF_HUB_OFFLINE", "0");
        CliRunner converted = CliRunner.run("convert", "org/tiny-GGUF:BF16", "--pull", "--out", dir.resolve("converted").toString());
        assertEquals(0, converted.exitCode(), converted.err());
        assertTrue(Files.isRegularFile(dir.resolve("converted/config.json")));
    }

    @Test
    void aLocalPathWinsOverAHubNameOfTheSameShape() throws IOException {
        Path local = Files.createDirectories(dir.resolve("org"));
        org.junit.jupiter.api.Assertions.assertNotNull(local);
        Path copy = dir.resolve("org/tiny");
        Files.createDirectories(copy);
        for (String f : List.of("config.json", "generation_config.json", "model.safetensors")) Files.copy(TINY.resolve(f), copy.resolve(f));
        CliRunner r = CliRunner.run("info", copy.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(hub.requests().isEmpty());
    }

    @Test
    void failuresAreOneLineThatSaysWhatToDo() {
        CliRunner.run("pull", "org/nope").assertUserError("org/nope", "repository not found", "HF_TOKEN");
        hub.repo("org/gated").folder(TINY).gated();
        CliRunner.run("pull", "org/gated").assertUserError("org/gated is gated", "HF_TOKEN");
        System.setProperty("HF_TOKEN", "hf_bad");
        CliRunner.run("pull", "org/tiny").assertUserError("token from HF_TOKEN is not valid");
        System.clearProperty("HF_TOKEN");
        CliRunner.run("pull", "org/tiny@nope").assertUserError("org/tiny", "revision 'nope' not found");
        CliRunner.run("pull", "org/tiny-GGUF").assertUserError("org/tiny-GGUF", "GGUF", "srr pull org/tiny-GGUF:FILE");
        CliRunner.run("pull", "org/tiny-GGUF:*.gguf").assertUserError("2 files match");
        CliRunner.run("pull", "org/tiny", "--include", "*.txt").assertUserError("no file matches --include '*.txt'");
        CliRunner.run("pull", "org/tiny:x.gguf", "--include", "*.json").assertUserError("not both");
        CliRunner.run("pull", "not a model").assertUserError("'not a model' is not a Hugging Face model");
        System.setProperty("HF_HUB_OFFLINE", "1");
        CliRunner.run("pull", "org/tiny").assertUserError("org/tiny@main is not in the Hugging Face cache", "HF_HUB_OFFLINE");
        System.setProperty("HF_ENDPOINT", "ftp://x");
        CliRunner.run("pull", "org/tiny").assertUserError("HF_ENDPOINT");
    }

    @Test
    void helpExplainsTheCacheTheTokenAndGgufFiles() {
        String help = CliRunner.run("pull", "--help").out();
        for (String s : List.of("HF_HUB_CACHE", "HF_HOME", "~/.cache/huggingface", "HF_TOKEN", "HF_HUB_OFFLINE",
                "HF_ENDPOINT", "Q4_K_M", "--include", "--exclude", "--json", "resumes", "SHA-256")) {
            assertTrue(help.contains(s), s + " in:\n" + help);
        }
        assertTrue(CliRunner.run("info", "--help").out().contains("--pull"));
        assertTrue(CliRunner.run("tokenize", "--help").out().contains("--pull"));
        assertFalse(CliRunner.run("split", "--help").out().contains("--pull"), "split takes no model");
    }

    /** Runs srr in a JVM of its own with the fake Hub and this test's cache in its environment. */
    private Process srr(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), "dev.srr.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("HF_ENDPOINT", hub.endpoint());
        env.put("HF_HUB_CACHE", cache.toString());
        env.put("HF_HOME", dir.resolve("home").toString());
        env.remove("HF_TOKEN");
        env.remove("HF_HUB_OFFLINE");
        return pb.start();
    }

    @Test
    void twoProcessesPullingTogetherEndWithOneCorrectBlob() throws Exception {
        hub.stallOnceAt("model.safetensors", 1_000, 2_500); // the first download is still running when the second starts
        Process a = srr("pull", "org/tiny");
        Process b = srr("pull", "org/tiny");
        assertTrue(a.waitFor(60, TimeUnit.SECONDS) && b.waitFor(60, TimeUnit.SECONDS));
        String outA = new String(a.getInputStream().readAllBytes());
        String outB = new String(b.getInputStream().readAllBytes());
        assertEquals(0, a.exitValue(), outA);
        assertEquals(0, b.exitValue(), outB);
        long gets = hub.requests().stream().filter(q -> q.server().equals("cdn") && q.method().equals("GET")).count();
        assertEquals(1, gets, "the weights crossed the network once\n" + outA + "\n" + outB);
        assertTrue((outA + outB).contains("another download of this file is under way"), outA + outB);
        String sha = FakeHub.sha256(Files.readAllBytes(TINY.resolve("model.safetensors")));
        Path blobs = cache.resolve("models--org--tiny/blobs");
        try (var s = Files.list(blobs)) {
            assertEquals(List.of(sha), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(sha)).toList());
        }
        assertEquals(FakeHub.sha256(Files.readAllBytes(Path.of(snapshot(), "model.safetensors"))), sha);
    }

    @Test
    void aKilledPullLeavesNoHalfFileUnderAFinalNameAndTheNextOneResumes() throws Exception {
        hub.stallOnceAt("model.safetensors", 100_000, 20_000);
        byte[] weights = Files.readAllBytes(TINY.resolve("model.safetensors"));
        String sha = FakeHub.sha256(weights);
        Path partial = cache.resolve("models--org--tiny/blobs").resolve(sha + ".incomplete");
        Process p = srr("pull", "org/tiny");
        long until = System.nanoTime() + 30_000_000_000L;
        while (!(Files.exists(partial) && Files.size(partial) >= 100_000) && System.nanoTime() < until) Thread.sleep(20);
        assertEquals(100_000, Files.size(partial));
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // as a crash or kill -9 would end it
        assertFalse(Files.exists(cache.resolve("models--org--tiny/blobs").resolve(sha)));
        assertFalse(Files.exists(Path.of(snapshot(), "model.safetensors"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(Path.of(snapshot(), "model.safetensors")));

        hub.clearLog();
        CliRunner r = CliRunner.run("pull", "org/tiny", "--json", "--quiet");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("bytes=100000-", hub.requests().stream().filter(q -> q.server().equals("cdn")).findFirst().orElseThrow().range());
        assertEquals(weights.length - 100_000, Json.parse(r.out(), "stdout").get("files").get(2).get("received_bytes").asLong());
        assertEquals(sha, FakeHub.sha256(Files.readAllBytes(Path.of(snapshot(), "model.safetensors"))));
    }
}
