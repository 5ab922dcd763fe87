package dev.srr.respond;

import dev.srr.data.ListDataset;
import dev.srr.data.SafetyList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ListSamplerTest {

    @Test
    void promptsAreDistinctSeededAndPrefixStable(@TempDir Path tmp) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 30; i++) sb.append("{\"id\": \"a-").append(i).append("\", \"prompt\": \"Prompt number ").append(i).append("\", \"candidates\": []}\n");
        sb.append("{\"id\": \"b-0\", \"prompt\": \"prompt NUMBER 3!\", \"candidates\": []}\n"); // the same prompt as a-3, normalised
        sb.append("{\"id\": \"b-1\", \"prompt\": \"?!\", \"candidates\": []}\n");                  // no words: nothing to answer
        Path f = tmp.resolve("p.jsonl");
        Files.writeString(f, sb);
        List<SafetyList> lists = ListDataset.read(f).lists();
        List<SafetyList> all = ListSampler.choosePrompts(lists, 0, 7);
        assertEquals(30, all.size());
        assertEquals(30, all.stream().map(SafetyList::id).distinct().count());
        assertEquals(false, all.stream().anyMatch(l -> l.id().startsWith("b-")));
        // a smaller limit is a prefix of the larger run: resumed chunks stay valid
        assertEquals(all.subList(0, 8), ListSampler.choosePrompts(lists, 8, 7));
        assertNotEquals(all.subList(0, 8), ListSampler.choosePrompts(lists, 8, 8));
    }

    @Test
    void promptSeedsDependOnRunSeedAndIdOnly() {
        assertEquals(ListSampler.promptSeed(1, "advbench-3"), ListSampler.promptSeed(1, "advbench-3"));
        assertNotEquals(ListSampler.promptSeed(1, "advbench-3"), ListSampler.promptSeed(2, "advbench-3"));
        assertNotEquals(ListSampler.promptSeed(1, "advbench-3"), ListSampler.promptSeed(1, "advbench-4"));
    }
}
