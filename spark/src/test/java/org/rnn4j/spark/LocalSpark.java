package org.rnn4j.spark;

import org.apache.spark.sql.SparkSession;

/** A {@code local[2]} session bound to 127.0.0.1 with no web UI, one per test class. */
final class LocalSpark {
    private LocalSpark() {}

    static SparkSession start(String app) {
        return SparkSession.builder()
                .appName(app)
                .master("local[2]")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
    }
}
