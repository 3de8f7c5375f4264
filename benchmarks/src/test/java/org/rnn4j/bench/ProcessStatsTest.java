package org.rnn4j.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The peak resident memory of a window (Linux's VmHWM reset through /proc/self/clear_refs) and of the process. */
class ProcessStatsTest {
    private static final int BLOCK = 128 << 20;
    private static final long BLOCK_KB = BLOCK >> 10;

    @Test
    void aResetStartsANewWindowAndKeepsTheProcessPeak() throws InterruptedException {
        assertTrue(ProcessStats.resetPeakRss(), "Linux resets VmHWM through /proc/self/clear_refs");
        // 128 MB of native memory touched page by page, then freed: the buffer's cleaner hands it back to the
        // OS (a block this large is mapped on its own) once the collector finds it unreachable.
        ByteBuffer block = ByteBuffer.allocateDirect(BLOCK);
        for (int i = 0; i < BLOCK; i += 4096) {
            block.put(i, (byte) 1);
        }
        long touched = ProcessStats.rssKb();
        block = null;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (ProcessStats.rssKb() > touched - BLOCK_KB / 2 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(50);
        }
        long freed = ProcessStats.rssKb();
        assertTrue(
                freed <= touched - BLOCK_KB / 2,
                () -> "the block was not handed back in 20 s: " + touched + " -> " + freed + " KiB");
        long withBlock = ProcessStats.windowPeakRssKb();
        assertTrue(
                withBlock >= touched, () -> "the window's peak " + withBlock + " KiB lost the block (" + touched + ")");
        assertTrue(ProcessStats.resetPeakRss());
        long fresh = ProcessStats.windowPeakRssKb();
        assertTrue(fresh < withBlock - BLOCK_KB / 2, () -> "the new window " + fresh + " KiB kept the old peak");
        assertTrue(ProcessStats.peakRssKb() >= withBlock, "the process's peak survives the reset");
    }
}
