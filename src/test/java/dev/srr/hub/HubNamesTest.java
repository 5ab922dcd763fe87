package dev.srr.hub;

import dev.srr.SrrException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Model names, file patterns and the environment, read as huggingface_hub reads them. */
class HubNamesTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "Qwen/Qwen3-0.6B                          | Qwen/Qwen3-0.6B               | main      | -",
            "Qwen/Qwen3-0.6B@v1.0                     | Qwen/Qwen3-0.6B               | v1.0      | -",
            "org/m@refs/pr/1                          | org/m                         | refs/pr/1 | -",
            "unsloth/Qwen3-0.6B-GGUF:Q4_K_M           | unsloth/Qwen3-0.6B-GGUF       | main      | Q4_K_M",
            "bartowski/x_y.z@main:sub/x-Q8_0.gguf     | bartowski/x_y.z               | main      | sub/x-Q8_0.gguf",
    })
    void specsParse(String spec, String repo, String revision, String file) {
        ModelRef r = ModelRef.parse(spec);
        assertEquals(repo, r.repo());
        assertEquals(revision, r.revision());
        assertEquals(file, r.file());
        assertTrue(ModelRef.looksLike(spec));
        assertEquals("models--" + repo.replace("/", "--"), r.folderName());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"gpt2", "a/b/c", "/abs/path", "org/name.", "org/-x", "org/a--b", "org/a..b", "org/x.git",
            "org/x@", "org/x@a..b", "org/x@/main", "org/x@a b", "org/x:", "org/x:../y", "org/x:/etc/passwd", "./org",
            "weights/model.gguf/extra"})
    void nonSpecsAreRefused(String text) {
        assertFalse(ModelRef.looksLike(text), text);
        assertThrows(SrrException.class, () -> ModelRef.parse(text));
    }

    @Test
    void aQuantizationTagIsShortForAPattern() {
        assertEquals("*Q4_K_M.gguf", ModelRef.parse("o/n:Q4_K_M").filePattern());
        assertEquals("x.gguf", ModelRef.parse("o/n:x.gguf").filePattern());
        assertEquals("*q8*.gguf", ModelRef.parse("o/n:*q8*.gguf").filePattern());
        assertTrue(ModelRef.isCommit("0123456789abcdef0123456789abcdef01234567"));
        assertFalse(ModelRef.isCommit("main"));
    }

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource(delimiter = '|', value = {
            "*.safetensors        | model.safetensors             | true",
            "*.safetensors        | original/consolidated.safetensors | true",
            "*.json               | config.json                   | true",
            "*.JSON               | config.json                   | false",
            "model-?????-of-*     | model-00001-of-00002.safetensors | true",
            "[mc]onfig.json       | config.json                   | true",
            "[mx]onfig.json       | config.json                   | false",
            "[]]x                 | ]x                            | true",
            "[!]]x                | ax                            | true",
            "[a-]x                | -x                            | true",
            "[!m]onfig.json       | config.json                   | true",
            "[a-d]onfig.json      | config.json                   | true",
            "original/            | original/params.json          | true",
            "original/            | originals.json                | false",
            "a[b                  | a[b                           | true",
            "x+y(1).txt           | x+y(1).txt                    | true",
    })
    void globsMatchLikeFnmatchcase(String glob, String path, boolean expected) {
        assertEquals(expected, Globs.matches(glob, path));
    }

    @Test
    void theSelectionIncludesThenExcludes() {
        FileSelection s = new FileSelection(List.of("*.gguf"), List.of("*Q2*"));
        assertTrue(s.includes("a-Q4.gguf"));
        assertFalse(s.includes("a-Q2_K.gguf"));
        assertFalse(s.includes("config.json"));
        assertTrue(FileSelection.defaults().isDefault());
        assertThrows(SrrException.class, () -> new FileSelection(List.of(" "), List.of()));
    }

    @Test
    void theEnvironmentIsReadAsHuggingfaceHubReadsIt() throws IOException {
        String home = System.getProperty("user.home");
        HubConfig none = HubConfig.fromEnvironment(Map.<String, String>of()::get);
        assertEquals(Path.of(home, ".cache/huggingface/hub"), none.cacheDir());
        assertEquals("https://huggingface.co", none.endpoint().toString());
        assertFalse(none.offline());
        assertEquals(Duration.ofSeconds(10), none.downloadTimeout());

        Files.writeString(dir.resolve("token"), "hf_from_file\n");
        HubConfig hfHome = HubConfig.fromEnvironment(Map.of("HF_HOME", dir.toString(), "HF_ENDPOINT", "http://mirror:8080/",
                "HF_HUB_OFFLINE", "yes", "HF_HUB_DOWNLOAD_TIMEOUT", "2.5")::get);
        assertEquals(dir.resolve("hub"), hfHome.cacheDir());
        assertEquals("http://mirror:8080", hfHome.endpoint().toString());
        assertEquals("hf_from_file", hfHome.token());
        assertEquals(dir.resolve("token").toString(), hfHome.tokenSource());
        assertTrue(hfHome.offline());
        assertEquals(Duration.ofMillis(2500), hfHome.downloadTimeout());
        assertFalse(hfHome.toString().contains("hf_from_file"), "the token is never printed");

        HubConfig explicit = HubConfig.fromEnvironment(Map.of("HF_HOME", dir.toString(), "HF_HUB_CACHE", "~/hubcache",
                "HF_TOKEN", "hf_env", "XDG_CACHE_HOME", "/nowhere")::get);
        assertEquals(Path.of(home, "hubcache"), explicit.cacheDir());
        assertEquals("hf_env", explicit.token());
        assertEquals("HF_TOKEN", explicit.tokenSource());

        HubConfig xdg = HubConfig.fromEnvironment(Map.of("XDG_CACHE_HOME", dir.toString(), "TRANSFORMERS_OFFLINE", "1")::get);
        assertEquals(dir.resolve("huggingface/hub"), xdg.cacheDir());
        assertTrue(xdg.offline());
        assertNull(xdg.token());

        assertThrows(SrrException.class, () -> HubConfig.fromEnvironment(Map.of("HF_ENDPOINT", "ftp://x")::get));
        assertThrows(SrrException.class, () -> HubConfig.fromEnvironment(Map.of("HF_HUB_ETAG_TIMEOUT", "soon")::get));
    }

    @Test
    void urlsQuoteRevisionsWholeAndKeepSlashesInPaths() {
        assertEquals("refs%2Fpr%2F1", RepoPaths.quote("refs/pr/1", false));
        assertEquals("sub/a%20b%2Bc.gguf", RepoPaths.quote("sub/a b+c.gguf", true));
        assertEquals("%C3%A9", RepoPaths.quote("é", true));
        assertTrue(RepoPaths.isSafe("a/b.json"));
        for (String bad : List.of("", "/a", "a/../b", "a//b", "./a", "a\\b", "a\u0000b", "..")) assertFalse(RepoPaths.isSafe(bad), bad);
    }

    @Test
    void etagsAreNormalizedAsBlobNames() {
        assertEquals("abc", HubClient.normalizeEtag("W/\"abc\""));
        assertEquals("abc", HubClient.normalizeEtag("\"abc\""));
        assertNull(HubClient.normalizeEtag("\"\""));
    }
}
