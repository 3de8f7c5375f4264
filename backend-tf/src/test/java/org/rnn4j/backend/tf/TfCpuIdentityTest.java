package org.rnn4j.backend.tf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CPU a tuning choice is kept for, from hand-written excerpts of /proc/cpuinfo shaped like the two KVM guests
 * BENCHMARKS.md ran on: both call themselves "AMD EPYC", one a Zen 3 without AVX-512, the other a Zen 4 with it.
 */
class TfCpuIdentityTest {
    private static final String ZEN3_FLAGS =
            "fpu vme de pse tsc msr sse sse2 ht syscall nx avx f16c rdrand fma avx2 bmi1 bmi2 sha_ni";
    private static final String ZEN4_FLAGS =
            ZEN3_FLAGS + " avx512f avx512dq avx512ifma avx512cd avx512bw avx512vl avx512_bf16 avx512vbmi avx512_vnni";

    private static List<String> cpuinfo(String model, String flags) {
        return List.of(
                "processor\t: 0",
                "vendor_id\t: AuthenticAMD",
                "cpu family\t: 25",
                "model\t\t: " + model,
                "model name\t: AMD EPYC",
                "stepping\t: 1",
                "flags\t\t: " + flags,
                "",
                "processor\t: 1",
                "vendor_id\t: AuthenticAMD",
                "cpu family\t: 25",
                "model\t\t: 99",
                "model name\t: Another name",
                "flags\t\t: amx_tile",
                "");
    }

    @Test
    void twoCpusOfOneNameAreTwoMachines() {
        String zen3 = TfBackend.cpuIdentity(cpuinfo("1", ZEN3_FLAGS));
        String zen4 = TfBackend.cpuIdentity(cpuinfo("17", ZEN4_FLAGS));
        assertEquals("AMD EPYC (vendor_id AuthenticAMD, cpu family 25, model 1, stepping 1) [avx avx2 fma f16c]", zen3);
        assertEquals(
                "AMD EPYC (vendor_id AuthenticAMD, cpu family 25, model 17, stepping 1) [avx avx2 fma f16c avx512f"
                        + " avx512dq avx512bw avx512vl avx512_vnni avx512_bf16]",
                zen4);
        assertNotEquals(zen3, zen4);
        // Only the kernel flags count: a flag no kernel is chosen by does not split a machine's cache.
        assertEquals(zen3, TfBackend.cpuIdentity(cpuinfo("1", ZEN3_FLAGS + " rdpid")));
    }

    @Test
    void armIsNamedByItsImplementerAndPart() {
        // aarch64's /proc/cpuinfo has no model name: a Neoverse N1 (implementer 0x41, part 0xd0c) and a V1 (0xd40,
        // with SVE and BF16) are two machines.
        String n1 = TfBackend.cpuIdentity(List.of(
                "processor\t: 0",
                "BogoMIPS\t: 50.00",
                "Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop"
                        + " asimddp",
                "CPU implementer\t: 0x41",
                "CPU architecture: 8",
                "CPU variant\t: 0x3",
                "CPU part\t: 0xd0c",
                "CPU revision\t: 1",
                ""));
        assertEquals("Arm (CPU implementer 0x41, CPU part 0xd0c, CPU variant 0x3, CPU revision 1) [asimd asimddp]", n1);
        String v1 = TfBackend.cpuIdentity(List.of(
                "processor\t: 0",
                "Features\t: fp asimd asimddp sve i8mm bf16",
                "CPU implementer\t: 0x41",
                "CPU variant\t: 0x1",
                "CPU part\t: 0xd40",
                "CPU revision\t: 1"));
        assertEquals(
                "Arm (CPU implementer 0x41, CPU part 0xd40, CPU variant 0x1, CPU revision 1) [asimd asimddp sve bf16"
                        + " i8mm]",
                v1);
    }

    @Test
    void withoutAModelNameOrAnImplementerThereIsNoIdentity() {
        // The caller falls back on the OS and architecture.
        assertNull(TfBackend.cpuIdentity(List.of("processor\t: 0", "BogoMIPS\t: 50.00", "Features\t: fp asimd", "")));
        assertNull(TfBackend.cpuIdentity(List.of()));
        // A name alone is kept as it is.
        assertEquals("Some CPU", TfBackend.cpuIdentity(List.of("model name : Some CPU")));
    }

    @Test
    void thisMachinesIdentityJoinsTheTuningKey() throws java.io.IOException {
        java.nio.file.Path cpuinfo = java.nio.file.Path.of("/proc/cpuinfo");
        String expected = java.nio.file.Files.isReadable(cpuinfo)
                ? TfBackend.cpuIdentity(java.nio.file.Files.readAllLines(cpuinfo))
                : null;
        if (expected != null) {
            // On Linux the key holds what /proc/cpuinfo says, not the coarser fallback.
            assertEquals(expected, TfBackend.cpuModel());
        }
        try (TfBackend backend = new TfBackend(TfSessionOptions.defaults(), TfForms.rule())) {
            assertTrue(
                    backend.tuningContext().contains("cpu=" + TfBackend.cpuModel()),
                    backend.tuningContext().toString());
        }
    }
}
