package org.rnn4j.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.tensor.DType;
import org.rnn4j.data.DemoData;
import org.rnn4j.data.text.CharVocabulary;

class ZooTest {

    @Test
    void listsTheArticlesModels() {
        assertEquals(
                List.of(
                        "stock-simple-rnn",
                        "stock-deep-rnn",
                        "stock-lstm",
                        "stock-gru",
                        "char-onehot-lstm",
                        "char-embedding-lstm",
                        "word-embedding-lstm"),
                Zoo.names());
    }

    @Test
    void preparingASeriesForATextModelSaysWhatPrepareIsFor() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> Zoo.get("char-embedding-lstm").prepare(DemoData.sp500()));
        assertEquals(
                "char-embedding-lstm is a text model; prepare(TimeSeries) prepares price series for the stock-* models",
                e.getMessage());
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Zoo.get("stock-transformer"));
        assertEquals("unknown zoo model 'stock-transformer'; known: " + Zoo.names(), e.getMessage());
    }

    // Keras counts, by hand: SimpleRNN u(in + u) + u, LSTM 4(u(in + u) + u), GRU reset_after 3(u(in + u) + 2u),
    // Dense in*out + out, Embedding vocab*dim.

    @Test
    void stockSimpleRnnIsTheArticlesModel() {
        ModelSpec spec = Zoo.get("stock-simple-rnn").spec();
        assertEquals(List.of(50, 1), spec.inputShape());
        assertEquals(10 * (1 + 10) + 10 + (10 + 1), spec.parameterCount()); // 120 + 11 = 131
        assertEquals(131, spec.parameterCount());
        assertEquals("mean_squared_error", spec.compile().loss().jsonName());
        assertEquals("adam", spec.compile().optimizer().jsonName());
        assertEquals("mae", spec.compile().metrics().get(0).jsonName());
    }

    @Test
    void stockDeepRnnStacksThreeSimpleRnns() {
        // 32*(1+32)+32 = 1,088; 32*(32+32)+32 = 2,080 twice; Dense 33.
        assertEquals(
                1_088 + 2_080 + 2_080 + 33, Zoo.get("stock-deep-rnn").spec().parameterCount());
    }

    @Test
    void stockLstmStacksTwoLstms() {
        // 4*(50*(1+50)+50) = 10,400; 4*(50*(50+50)+50) = 20,200; Dense 51.
        assertEquals(30_651, Zoo.get("stock-lstm").spec().parameterCount());
    }

    @Test
    void stockGruStacksTwoGrus() {
        // 3*(50*(1+50)+2*50) = 7,950; 3*(50*(50+50)+2*50) = 15,300; Dense 51.
        assertEquals(23_301, Zoo.get("stock-gru").spec().parameterCount());
    }

    @Test
    void charModelsAreSizedByTheVocabulary() {
        // LSTM 4*(128*(73+128)+128) = 103,424; Dense 128*73+73 = 9,417.
        ModelSpec onehot = Zoo.get("char-onehot-lstm").spec();
        assertEquals(List.of(40, 73), onehot.inputShape());
        assertEquals(112_841, onehot.parameterCount());
        // Embedding 73*32 = 2,336; LSTM 4*(128*(32+128)+128) = 82,432; Dense 9,417.
        ModelSpec embedding = Zoo.get("char-embedding-lstm").spec();
        assertEquals(DType.INT32, embedding.inputDType());
        assertEquals(94_185, embedding.parameterCount());
    }

    @Test
    void wordModelIsTheArticlesEmbedding() {
        // Embedding 1000*64 = 64,000; LSTM 4*(128*(64+128)+128) = 98,816; Dense 128*1000+1000 = 129,000.
        ModelSpec spec = Zoo.get("word-embedding-lstm").spec();
        assertEquals(List.of(50), spec.inputShape());
        assertEquals(64_000 + 98_816 + 129_000, spec.parameterCount());
    }

    @Test
    void everySpecSurvivesTheJsonRoundTrip() {
        for (ZooModel m : Zoo.list()) {
            assertEquals(m.spec(), SpecJson.read(SpecJson.write(m.spec())), m.name());
            assertTrue(DemoData.names().contains(m.defaultData()), m.name());
        }
    }

    @Test
    void kjvHasTheDefaultVocabularySize() {
        assertEquals(Zoo.KJV_CHARACTERS, CharVocabulary.fit(DemoData.kjvText()).size());
    }
}
