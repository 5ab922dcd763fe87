package dev.srr.hub;

import dev.srr.TestData;
import dev.srr.io.Json;
import dev.srr.model.Checkpoint;
import dev.srr.model.CheckpointWriter;
import dev.srr.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pulls against {@link FakeHub} (a Hub and a CDN on loopback) with the tiny golden Qwen3 checkpoint: the cache
 * layout, resuming, checksums, locks, offline use and the Hub's errors.
 */
class HubPullTest {
    static final Path TINY = TestData.goldenModel("qwen3-tiny-bf16").resolve("model");
    static final String WEIGHTS = "model.safetensors";

    @TempDir
    Path cache;
    FakeHub hub;
    final List<String> notes = new CopyOnWriteArrayList<>();
    final List<String> waits = new CopyOnWriteArrayList<>();
    final PullListener listener = new PullListener() {
        @Override
        public void note(String message) {
            notes.add(message);
        }

        @Override
        public void waiting(String path) {
            waits.add(path);
        }
    };

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub();
        hub.repo("org/tiny").folder(TINY);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    HubConfig config() {
        return config(null, Duration.ofSeconds(10));
    }

    HubConfig config(String token, Duration downloadTimeout) {
        return new HubConfig(URI.create(hub.endpoint()), cache, token, token == null ? null : "HF_TOKEN", false,
                Duration.ofSeconds(10), downloadTimeout);
    }

    PullResult pull(String spec) {
        return pull(spec, config());
    }

    PullResult pull(String spec, HubConfig config) {
        ModelRef ref = ModelRef.parse(spec);
        return new Puller(config, listener).pull(ref, ref.selection(), ref.file() != null);
    }

    Path repoDir() {
        return cache.resolve("models--org--tiny");
    }

    List<FakeHub.Request> cdnGets() {
        return hub.requests().stream().filter(r -> r.server().equals("cdn") && r.method().equals("GET")).toList();
    }

    byte[] weights() throws IOException {
        return Files.readAllBytes(TINY.resolve(WEIGHTS));
    }

    @Test
    void aFullPullLaysOutTheCacheAsHuggingfaceHubDoesAndTheSnapshotLoads() throws IOException {
        PullResult r = pull("org/tiny");
        String commit = hub.repo("org/tiny").commit();
        assertEquals(commit, r.commit());
        assertEquals(repoDir().resolve("snapshots").resolve(commit), r.snapshot());
        assertEquals(List.of("config.json", "generation_config.json", WEIGHTS), r.files().stream().map(PullResult.PulledFile::path).toList());
        assertEquals(Files.size(TINY.resolve(WEIGHTS)) + Files.size(TINY.resolve("config.json"))
                + Files.size(TINY.resolve("generation_config.json")), r.receivedBytes());

        // blobs named by ETag: SHA-256 for the LFS file, git blob SHA-1 for files kept in git
        String sha = FakeHub.sha256(weights());
        String configSha1 = FakeHub.gitSha1(Files.readAllBytes(TINY.resolve("config.json")));
        assertArrayEquals(weights(), Files.readAllBytes(repoDir().resolve("blobs").resolve(sha)));
        assertTrue(Files.isRegularFile(repoDir().resolve("blobs").resolve(configSha1)));
        // snapshots hold relative links into blobs
        Path link = r.snapshot().resolve(WEIGHTS);
        assertTrue(Files.isSymbolicLink(link));
        assertEquals(Path.of("../../blobs/" + sha), Files.readSymbolicLink(link));
        assertEquals(Path.of("../../blobs/" + configSha1), Files.readSymbolicLink(r.snapshot().resolve("config.json")));
        // refs/main holds the commit with no newline; absent optional files are marked in .no_exist
        assertEquals(commit, Files.readString(repoDir().resolve("refs/main")));
        assertTrue(Files.isRegularFile(repoDir().resolve(".no_exist").resolve(commit).resolve("tokenizer.json")));
        assertTrue(Files.isRegularFile(cache.resolve(".locks/models--org--tiny").resolve(sha + ".lock")));
        assertTrue(Files.isRegularFile(cache.resolve("CACHEDIR.TAG")));
        try (Stream<Path> blobs = Files.list(repoDir().resolve("blobs"))) {
            assertTrue(blobs.noneMatch(p -> p.toString().endsWith(".incomplete")), "no partial file left");
        }
        try (Checkpoint ck = Checkpoint.open(r.snapshot())) {
            assertEquals("qwen3", ck.config().modelType());
            assertEquals(3, ck.config().numLayers());
        }
    }

    @Test
    void aSecondPullDownloadsNothingAndMakesNoRequestButTheListing() {
        pull("org/tiny");
        hub.clearLog();
        PullResult again = pull("org/tiny");
        assertEquals(0, again.receivedBytes());
        assertTrue(again.files().stream().allMatch(PullResult.PulledFile::cached));
        assertEquals(List.of("GET /api/models/org/tiny/revision/main"),
                hub.requests().stream().map(q -> q.method() + " " + q.path()).toList());
    }

    @Test
    void aDroppedConnectionIsResumedWithARangeRequest() throws IOException {
        hub.dropOnceAfter(WEIGHTS, 100_000);
        PullResult r = pull("org/tiny");
        List<FakeHub.Request> gets = cdnGets();
        assertEquals(2, gets.size(), gets.toString());
        assertNull(gets.get(0).range());
        // The server sent 100,000 bytes before dropping the connection; how many reached the client before the
        // reset depends on the machine's load, and the resume must start exactly there.
        String range = gets.get(1).range();
        assertTrue(range != null && range.matches("bytes=\\d+-"), range);
        long resumedAt = Long.parseLong(range.substring("bytes=".length(), range.length() - 1));
        assertTrue(resumedAt > 0 && resumedAt <= 100_000, range);
        assertArrayEquals(weights(), Files.readAllBytes(r.local(WEIGHTS)));
        assertEquals(Files.size(TINY.resolve(WEIGHTS)), r.files().get(2).received(), "no byte fetched twice");
        assertTrue(notes.stream().anyMatch(n -> n.contains("retrying from " + resumedAt + " bytes")), notes.toString());
    }

    @Test
    void aPartialFileLeftByAnEarlierPullIsResumedFromItsLength() throws IOException {
        byte[] w = weights();
        Path partial = repoDir().resolve("blobs").resolve(FakeHub.sha256(w) + ".incomplete");
        Files.createDirectories(partial.getParent());
        Files.write(partial, Arrays.copyOf(w, 150_000));
        PullResult r = pull("org/tiny");
        assertEquals(List.of("bytes=150000-"), cdnGets().stream().map(FakeHub.Request::range).toList());
        assertEquals(w.length - 150_000, r.files().get(2).received());
        assertArrayEquals(w, Files.readAllBytes(r.local(WEIGHTS)));
        assertFalse(Files.exists(partial));
    }

    @Test
    void aServerThatIgnoresTheRangeGetsTheFileWrittenFromTheStart() throws IOException {
        byte[] w = weights();
        Path partial = repoDir().resolve("blobs").resolve(FakeHub.sha256(w) + ".incomplete");
        Files.createDirectories(partial.getParent());
        Files.write(partial, Arrays.copyOf(w, 150_000));
        hub.ignoreRange(true);
        PullResult r = pull("org/tiny");
        assertEquals(List.of("bytes=150000-"), cdnGets().stream().map(FakeHub.Request::range).toList());
        assertEquals(w.length, r.files().get(2).received());
        assertArrayEquals(w, Files.readAllBytes(r.local(WEIGHTS)));
        assertTrue(notes.stream().anyMatch(n -> n.contains("ignored the range")), notes.toString());
    }

    @Test
    void aPartialFileLongerThanTheBlobIsDiscarded() throws IOException {
        byte[] w = weights();
        Path partial = repoDir().resolve("blobs").resolve(FakeHub.sha256(w) + ".incomplete");
        Files.createDirectories(partial.getParent());
        Files.write(partial, new byte[w.length + 10]);
        PullResult r = pull("org/tiny");
        assertArrayEquals(w, Files.readAllBytes(r.local(WEIGHTS)));
        assertEquals(List.of(java.util.Optional.empty()), cdnGets().stream().map(q -> java.util.Optional.ofNullable(q.range())).toList());
    }

    @Test
    void contentThatDoesNotMatchItsSha256IsRefusedAndRemoved() throws IOException {
        hub.corrupt(WEIGHTS);
        HubException e = assertThrows(HubException.class, () -> pull("org/tiny"));
        assertEquals(HubException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("org/tiny@main: model.safetensors") && e.getMessage().contains("SHA-256"), e.getMessage());
        String sha = FakeHub.sha256(weights());
        assertFalse(Files.exists(repoDir().resolve("blobs").resolve(sha)), "no blob under the good name");
        assertFalse(Files.exists(repoDir().resolve("blobs").resolve(sha + ".incomplete")), "the bad bytes are gone");
        String commit = hub.repo("org/tiny").commit();
        assertFalse(Files.exists(repoDir().resolve("snapshots").resolve(commit).resolve(WEIGHTS), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertNull(HubModels.cached(ModelRef.parse("org/tiny"), config()), "an incomplete snapshot does not resolve");

        hub.clearLog();
        hubServesGoodBytesAgain();
        PullResult r = pull("org/tiny");
        assertArrayEquals(weights(), Files.readAllBytes(r.local(WEIGHTS)));
        assertEquals(1, cdnGets().size(), "only the weights are fetched again");
    }

    private void hubServesGoodBytesAgain() throws IOException {
        hub.close();
        hub = new FakeHub();
        hub.repo("org/tiny").folder(TINY);
    }

    @Test
    void aSmallFileIsCheckedAgainstItsGitBlobId() throws IOException {
        hub.corrupt("config.json");
        HubException e = assertThrows(HubException.class, () -> pull("org/tiny"));
        assertEquals(HubException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("config.json") && e.getMessage().contains("git SHA-1"), e.getMessage());
    }

    @Test
    void aStalledTransferIsDroppedAndResumed() throws IOException {
        hub.stallOnceAt(WEIGHTS, 50_000, 4_000);
        long t0 = System.nanoTime();
        PullResult r = pull("org/tiny", config(null, Duration.ofMillis(700)));
        assertArrayEquals(weights(), Files.readAllBytes(r.local(WEIGHTS)));
        assertEquals("bytes=50000-", cdnGets().getLast().range());
        assertTrue(notes.stream().anyMatch(n -> n.contains("no data for")), notes.toString());
        assertTrue((System.nanoTime() - t0) / 1e9 < 3.5, "did not wait for the stalled server");
    }

    @Test
    void theTokenGoesToTheHubButNeverToTheStorageHost() {
        hub.acceptToken("hf_secret");
        pull("org/tiny", config("hf_secret", Duration.ofSeconds(10)));
        List<FakeHub.Request> all = hub.requests();
        assertTrue(all.stream().filter(q -> q.server().equals("hub")).allMatch(q -> "Bearer hf_secret".equals(q.authorization())));
        List<FakeHub.Request> cdn = all.stream().filter(q -> q.server().equals("cdn")).toList();
        assertFalse(cdn.isEmpty());
        assertTrue(cdn.stream().allMatch(q -> q.authorization() == null), cdn.toString());
    }

    @Test
    void aGatedRepositoryNeedsAToken() {
        hub.repo("org/gated").folder(TINY).gated();
        HubException e = assertThrows(HubException.class, () -> pull("org/gated"));
        assertEquals(HubException.Kind.GATED, e.kind());
        assertTrue(e.getMessage().startsWith("org/gated is gated") && e.getMessage().contains("HF_TOKEN")
                && e.getMessage().contains(hub.endpoint() + "/org/gated"), e.getMessage());
        hub.acceptToken("hf_ok");
        PullResult r = pull("org/gated", config("hf_ok", Duration.ofSeconds(10)));
        assertEquals(3, r.files().size());
    }

    @Test
    void anInvalidTokenIsNamedAsSuch() {
        HubException e = assertThrows(HubException.class, () -> pull("org/tiny", config("hf_wrong", Duration.ofSeconds(10))));
        assertEquals(HubException.Kind.UNAUTHORIZED, e.kind());
        assertTrue(e.getMessage().contains("token from HF_TOKEN is not valid"), e.getMessage());
    }

    @Test
    void missingRepositoriesRevisionsAndFilesAreClearErrors() {
        HubException repo = assertThrows(HubException.class, () -> pull("org/nope"));
        assertEquals(HubException.Kind.REPO_NOT_FOUND, repo.kind());
        assertTrue(repo.getMessage().startsWith("org/nope: repository not found on " + hub.endpoint()), repo.getMessage());

        HubException rev = assertThrows(HubException.class, () -> pull("org/tiny@v9"));
        assertEquals(HubException.Kind.REVISION_NOT_FOUND, rev.kind());
        assertTrue(rev.getMessage().contains("revision 'v9' not found"), rev.getMessage());

        HubClient client = new HubClient(config());
        String commit = hub.repo("org/tiny").commit();
        HubException entry = assertThrows(HubException.class, () -> client.head(ModelRef.parse("org/tiny"), commit, "nope.gguf"));
        assertEquals(HubException.Kind.ENTRY_NOT_FOUND, entry.kind());
        assertTrue(entry.getMessage().contains("no file 'nope.gguf'"), entry.getMessage());

        HubException none = assertThrows(HubException.class, () -> pull("org/tiny:Q4_K_M"));
        assertEquals(HubException.Kind.NOTHING_TO_PULL, none.kind());
        assertTrue(none.getMessage().contains("no file matches --include '*Q4_K_M.gguf'"), none.getMessage());
    }

    @Test
    void aRepositoryOfGgufFilesNeedsOneNamed() {
        hub.repo("org/gguf").file("README.md", "# gguf").file("m-Q4_K_M.gguf", new byte[300]).file("m-Q8_0.gguf", new byte[400]);
        HubException e = assertThrows(HubException.class, () -> pull("org/gguf"));
        assertEquals(HubException.Kind.NOTHING_TO_PULL, e.kind());
        assertTrue(e.getMessage().contains("no config.json") && e.getMessage().contains("srr pull org/gguf:FILE")
                && e.getMessage().contains("m-Q4_K_M.gguf"), e.getMessage());

        PullResult r = pull("org/gguf:Q4_K_M");
        assertEquals(List.of("m-Q4_K_M.gguf"), r.files().stream().map(PullResult.PulledFile::path).toList());
        assertEquals(r.local("m-Q4_K_M.gguf"), HubModels.cached(ModelRef.parse("org/gguf:Q4_K_M"), config()));
        assertEquals(r.local("m-Q4_K_M.gguf"), HubModels.cached(ModelRef.parse("org/gguf"), config()),
                "a snapshot of one GGUF file resolves to it");

        HubException two = assertThrows(HubException.class, () -> pull("org/gguf:*.gguf"));
        assertTrue(two.getMessage().contains("2 files match ':*.gguf'"), two.getMessage());
    }

    @Test
    void includeAndExcludePatternsChooseTheFiles() {
        hub.repo("org/mixed").folder(TINY).file("extra/notes.txt", "x").file("m-Q4_K_M.gguf", new byte[100]);
        ModelRef ref = ModelRef.parse("org/mixed");
        PullResult r = new Puller(config(), listener).pull(ref, new FileSelection(List.of("*.json", "extra/"), List.of("generation_*")), false);
        assertEquals(List.of("config.json", "extra/notes.txt"), r.files().stream().map(PullResult.PulledFile::path).toList());
        assertEquals(Path.of("../../../blobs/" + FakeHub.gitSha1("x".getBytes(StandardCharsets.UTF_8))),
                readLink(r.local("extra/notes.txt")), "one more ../ per folder");

        PullResult d = new Puller(config(), listener).pull(ref, FileSelection.defaults().excluding(List.of("generation_config.json")), false);
        assertEquals(List.of("config.json", WEIGHTS), d.files().stream().map(PullResult.PulledFile::path).toList());
    }

    @Test
    void theDefaultSetPullsTheShardsTheIndexNamesAndNothingElse() throws IOException {
        Path sharded = cache.resolveSibling(cache.getFileName() + "-sharded");
        try (Checkpoint ck = Checkpoint.open(TINY)) {
            List<CheckpointWriter.Entry> entries = new ArrayList<>();
            for (Tensor t : ck.weights().all().values()) entries.add(CheckpointWriter.entryOf(t, t.dtype()));
            Map<String, Object> files = new LinkedHashMap<>();
            files.put("config.json", Json.read(TINY.resolve("config.json")));
            CheckpointWriter.write(sharded, files, entries, 150_000);
        }
        hub.repo("org/sharded").folder(sharded).file("consolidated.safetensors", Files.readAllBytes(TINY.resolve(WEIGHTS)))
                .file("tokenizer.json", "{}");
        PullResult r = pull("org/sharded");
        List<String> names = r.files().stream().map(PullResult.PulledFile::path).toList();
        assertEquals("config.json", names.get(0));
        assertTrue(names.contains("tokenizer.json") && names.contains(FileSelection.INDEX), names.toString());
        assertTrue(names.stream().filter(n -> n.startsWith("model-0")).count() >= 3, names.toString());
        assertFalse(names.contains("consolidated.safetensors"));
        try (Checkpoint ck = Checkpoint.open(r.snapshot())) {
            assertEquals(3, ck.config().numLayers());
        }
        dev.srr.io.AtomicFiles.deleteTree(sharded);
    }

    @Test
    void revisionsAreRecordedUnderRefsAndCommitsAreNot() throws IOException {
        hub.repo("org/tiny").branch("v1");
        String commit = hub.repo("org/tiny").commit();
        pull("org/tiny@v1");
        assertTrue(Files.isRegularFile(repoDir().resolve("refs/v1")));
        pull("org/tiny@" + commit);
        try (Stream<Path> refs = Files.list(repoDir().resolve("refs"))) {
            assertEquals(List.of("v1"), refs.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void offlineTheCacheAloneAnswers() {
        HubConfig offline = config().withOffline(true);
        HubException before = assertThrows(HubException.class, () -> pull("org/tiny", offline));
        assertEquals(HubException.Kind.NOT_CACHED, before.kind());
        assertTrue(before.getMessage().contains("HF_HUB_OFFLINE"), before.getMessage());
        assertTrue(hub.requests().isEmpty(), "offline sends nothing");

        PullResult online = pull("org/tiny");
        hub.clearLog();
        PullResult r = pull("org/tiny", offline);
        assertTrue(r.fromCacheOnly());
        assertEquals(online.snapshot(), r.snapshot());
        assertEquals(online.files().stream().map(PullResult.PulledFile::path).toList(),
                r.files().stream().map(PullResult.PulledFile::path).toList());
        assertTrue(hub.requests().isEmpty());
        assertEquals(online.snapshot(), HubModels.resolve("org/tiny", false, offline, listener));
    }

    @Test
    void anUnreachableHubFallsBackToTheCacheOrSaysWhatToDo() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        HubConfig down = new HubConfig(URI.create("http://127.0.0.1:" + closed), cache, null, null, false,
                Duration.ofSeconds(2), Duration.ofSeconds(2));
        HubException e = assertThrows(HubException.class, () -> pull("org/tiny", down));
        assertEquals(HubException.Kind.NETWORK, e.kind());
        assertTrue(e.getMessage().contains("cannot reach http://127.0.0.1:" + closed) && e.getMessage().contains("HF_HUB_OFFLINE=1"),
                e.getMessage());
        pull("org/tiny");
        PullResult r = pull("org/tiny", down);
        assertTrue(r.fromCacheOnly());
        assertEquals(3, r.files().size());
    }

    @Test
    void twoThreadsPullingTogetherDownloadEachBlobOnce() throws Exception {
        hub.stallOnceAt(WEIGHTS, 1_000, 1_500); // keeps the first download busy while the second arrives
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<PullResult> results = new CopyOnWriteArrayList<>();
        Thread a = Thread.ofPlatform().start(() -> run(results, errors));
        Thread.sleep(300);
        Thread b = Thread.ofPlatform().start(() -> run(results, errors));
        a.join();
        b.join();
        assertEquals(List.of(), errors);
        assertEquals(2, results.size());
        assertEquals(1, cdnGets().size(), "the weights crossed the network once");
        assertEquals(List.of(WEIGHTS), waits);
        String sha = FakeHub.sha256(weights());
        try (Stream<Path> blobs = Files.list(repoDir().resolve("blobs"))) {
            assertEquals(List.of(sha), blobs.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(sha)).toList());
        }
        assertArrayEquals(weights(), Files.readAllBytes(results.get(0).local(WEIGHTS)));
    }

    private void run(List<PullResult> results, List<Throwable> errors) {
        try {
            results.add(pull("org/tiny"));
        } catch (Throwable t) {
            errors.add(t);
        }
    }

    @Test
    void aListedFileWithAnUnsafeNameIsSkipped() {
        hub.repo("org/tiny").file("../escape.txt", "x");
        PullResult r = pull("org/tiny");
        assertEquals(3, r.files().size());
        assertFalse(Files.exists(repoDir().resolve("snapshots/escape.txt")));
    }

    private static Path readLink(Path p) {
        try {
            return Files.readSymbolicLink(p);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
