package org.rnn4j.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One real standalone cluster (master + two one-core workers, separate JVMs, 127.0.0.1) shared by these checks. */
class StandaloneClusterIT {
    static StandaloneCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = StandaloneCluster.start(
                Path.of(System.getProperty("rnn4j.spark.home")),
                Path.of("target", "cluster-it"),
                2,
                Duration.ofSeconds(90));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void theSimplestJobRunsOnBothWorkers() {
        SparkSession spark = SparkSession.builder()
                .appName("simplest")
                .master(cluster.masterUrl())
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.executor.memory", "1g")
                .getOrCreate();
        try {
            // Built-in functions only: this test's own classes are not on the executors.
            long sum = spark.range(1, 101, 1, 4).groupBy().sum("id").first().getLong(0);
            assertEquals(5050, sum);
            assertEquals(3, spark.sparkContext().statusTracker().getExecutorInfos().length, "driver + 2 executors");
            assertEquals(2, cluster.executors().size(), "two executor JVMs under the workers");
        } finally {
            spark.stop();
        }
    }
}
