package org.embedrec.features;

import java.nio.charset.StandardCharsets;

/** The string hash written the obvious way, over {@code String.getBytes(UTF_8)}, to check StableHash against. */
final class FnvReference {
    private FnvReference() {
    }

    static long hash(String s, long salt) {
        long h = 0xcbf29ce484222325L ^ StableHash.fmix64(salt);
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        return StableHash.fmix64(h);
    }
}
