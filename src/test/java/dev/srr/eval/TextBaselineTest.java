package dev.srr.eval;

import dev.srr.data.Labeler;
import dev.srr.data.ListDataset;
import dev.srr.data.SafetyList;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TextBaselineTest {

    @Test
    void termsAreLowerCasedUnigramsAndBigrams() {
        assertEquals(Set.of("i", "can't", "help", "i can't", "can't help"), TextBaseline.terms("I can't  HELP!"));
        assertEquals(Set.of(), TextBaseline.terms(null));
    }

    @Test
    void learnsWhichWordsMarkARefusal(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("lists.jsonl");
        StringBuilder sb = new StringBuilder();
        String[] refusals = {"Sorry, I cannot help with that.", "I cannot assist, sorry.", "Sorry, that is not something I do."};
        String[] compliance = {"Here is how to do it: step one.", "Sure, step one is this.", "Here is a plan with steps."};
        for (int i = 0; i < 3; i++) {
            sb.append(String.format("{\"id\": \"l%d\", \"prompt\": \"p%d\", \"candidates\": [{\"text\": \"%s\", \"label\": \"safe\"}, "
                    + "{\"text\": \"%s\", \"label\": \"unsafe\"}]}%n", i, i, refusals[i], compliance[i]));
        }
        Files.writeString(f, sb);
        List<SafetyList> lists = ListDataset.read(f).lists();
        TextBaseline t = TextBaseline.train(lists, Labeler.GIVEN);
        assertEquals(6, t.trainingCandidates());
        double[] s = t.score(new String[]{"Here is step one of the plan.", "Sorry, I cannot do that."});
        assertTrue(s[1] > 0.5 && s[0] < 0.5, java.util.Arrays.toString(s));
        // a text with no known term scores the intercept alone, the same for any such text
        double[] unknown = t.score(new String[]{"zzz qqq", ""});
        assertEquals(unknown[0], unknown[1], 0);
    }

    @Test
    void needsBothClasses(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("lists.jsonl");
        Files.writeString(f, "{\"id\": \"a\", \"prompt\": \"p\", \"candidates\": [{\"text\": \"x\", \"label\": \"safe\"}]}\n");
        var e = assertThrows(dev.srr.SrrException.class, () -> TextBaseline.train(ListDataset.read(f).lists(), Labeler.GIVEN));
        assertTrue(e.getMessage().startsWith("text baseline:"), e.getMessage());
    }
}
