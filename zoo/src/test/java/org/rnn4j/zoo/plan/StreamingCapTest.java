package org.rnn4j.zoo.plan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rnn4j.api.input.InputCap;
import org.rnn4j.data.DemoData;
import org.rnn4j.data.cache.CacheFolder;
import org.rnn4j.zoo.Zoo;
import org.rnn4j.zoo.recipe.StreamedStockData;
import org.rnn4j.zoo.recipe.StreamedTextData;
import org.rnn4j.zoo.recipe.TextData;

/**
 * The input caps bound what is read into memory, not what can be trained on: a file above its cap
 * streams when streaming is on (whatever the heap share says), and is refused by the in-memory
 * readers when it is off. The caps are lowered to a few KB here so that small files cross them.
 */
class StreamingCapTest {
    @TempDir
    Path tmp;

    @AfterEach
    void clear() {
        System.clearProperty(InputCap.CSV.property());
        System.clearProperty(InputCap.TEXT.property());
    }

    /** Streams only what is above a read cap: the heap-share threshold is out of reach. */
    private Streaming capsOnly(List<String> notes) {
        return new Streaming(
                Long.MAX_VALUE - 1, CacheFolder.at(tmp.resolve("cache")), (w, i, b, t, n, d) -> {}, notes::add);
    }

    private Path prices(int rows) throws Exception {
        StringBuilder b = new StringBuilder("close\n");
        for (int i = 0; i < rows; i++) {
            b.append(String.format(Locale.ROOT, "%.2f%n", 100 + 3 * Math.sin(i / 7.0) + i % 5));
        }
        return Files.writeString(tmp.resolve("prices.csv"), b);
    }

    @Test
    void aCsvAboveItsCapStreamsInTrainAndIsRefusedInMemory() throws Exception {
        Path csv = prices(6_000); // about 42 KB; the cap stays above the 16 KB a header read may buffer
        System.setProperty(InputCap.CSV.property(), "20000");
        DataRequest r = DataRequest.none().withData(csv.toString());
        List<String> notes = new ArrayList<>();
        TrainingPlan streamed = TrainingPlan.forZoo(Zoo.get("stock-simple-rnn"), r, capsOnly(notes));
        assertInstanceOf(StreamedStockData.class, streamed.data());
        assertTrue(notes.get(0).startsWith("Built the cache "), notes.toString());

        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TrainingPlan.forZoo(Zoo.get("stock-simple-rnn"), r));
        assertTrue(e.getMessage().contains(InputCap.CSV.property()), e.getMessage());

        System.setProperty(InputCap.CSV.property(), "50000");
        TrainingPlan below = TrainingPlan.forZoo(Zoo.get("stock-simple-rnn"), r, capsOnly(new ArrayList<>()));
        assertFalse(below.data() instanceof StreamedStockData, "a file under its cap is read in memory");
    }

    @Test
    void aWholeTextAboveItsCapStreamsButAHeadOfItIsReadInMemory() throws Exception {
        Path text = Files.writeString(
                tmp.resolve("kjv.txt"), DemoData.text(DemoData.KJV).substring(0, 30_000));
        System.setProperty(InputCap.TEXT.property(), "10000");
        DataRequest all =
                new DataRequest(text.toString(), null, null, ReadOptions.defaults(), null, null, null, null, 0);
        TrainingPlan streamed = TrainingPlan.forZoo(Zoo.get("char-embedding-lstm"), all, capsOnly(new ArrayList<>()));
        assertInstanceOf(StreamedTextData.class, streamed.data());

        DataRequest head =
                new DataRequest(text.toString(), null, null, ReadOptions.defaults(), null, null, null, null, 8_000);
        TrainingPlan inMemory = TrainingPlan.forZoo(Zoo.get("char-embedding-lstm"), head, capsOnly(new ArrayList<>()));
        assertInstanceOf(TextData.class, inMemory.data());
    }
}
