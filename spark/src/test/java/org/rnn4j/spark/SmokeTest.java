package org.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.rnn4j.api.compile.Loss;
import org.rnn4j.api.compile.OptimizerSpec;
import org.rnn4j.api.json.SpecJson;
import org.rnn4j.api.layers.Layers;
import org.rnn4j.api.model.ModelSpec;
import org.rnn4j.api.model.Sequential;
import org.rnn4j.api.tensor.Tensor;
import org.rnn4j.api.weights.WeightInitializer;
import org.rnn4j.spark.engine.ExecutorEngines;

class SmokeTest {
    @Test
    void aTaskRunsEitherEngine() {
        SparkSession spark = LocalSpark.start("smoke");
        try {
            ModelSpec spec = Sequential.name("s")
                    .input(3, 1)
                    .add(Layers.simpleRnn(2))
                    .add(Layers.dense(1))
                    .compile(Loss.MEAN_SQUARED_ERROR, new OptimizerSpec.Adam())
                    .build();
            String json = SpecJson.write(spec);
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            List<Float> out = sc.parallelize(List.of("tf", "dl4j"), 2)
                    .map(id -> ExecutorEngines.withProgram(id, json, p -> {
                        var w = WeightInitializer.initialized(
                                ExecutorEngines.spec(json).weights(), 1);
                        return p.predict(Tensor.of(new float[] {1, 2, 3}, 1, 3, 1), w)
                                .floatView()[0];
                    }))
                    .collect();
            assertEquals(out.get(0), out.get(1), 1e-6);
        } finally {
            spark.stop();
        }
    }
}
