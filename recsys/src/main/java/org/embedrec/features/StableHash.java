package org.embedrec.features;

/**
 * The hash behind {@link Hashing}, {@link CategoryCross} and the out-of-vocabulary buckets of the
 * lookups. It is defined here bit for bit so that a saved model maps every key to the same bin on
 * any JVM, and so that another language can reproduce it:
 *
 * <ul>
 *   <li>strings: 64-bit FNV-1a over the UTF-8 bytes of the string, with the offset basis
 *       {@code 0xcbf29ce484222325} XOR {@code fmix64(salt)}, then passed through {@code fmix64}
 *       (FNV-1a alone mixes its last bytes poorly into the low bits that pick the bin). A lone
 *       surrogate is encoded as its own three-byte sequence.
 *   <li>integers (an {@code int} is first widened to {@code long}):
 *       {@code fmix64(fmix64(v + 0x9E3779B97F4A7C15) ^ salt)}.
 *   <li>a bin is the hash taken as an unsigned 64-bit number modulo the number of bins.
 * </ul>
 *
 * {@code fmix64} is the MurmurHash3 64-bit finaliser. {@code String.hashCode} is not used: it
 * mixes too little for binning.
 */
final class StableHash {
    static final long FNV_OFFSET = 0xcbf29ce484222325L;
    static final long FNV_PRIME = 0x100000001b3L;
    static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private StableHash() {
    }

    static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }

    static long hashString(CharSequence s, long salt) {
        long h = FNV_OFFSET ^ fmix64(salt);
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                h = (h ^ c) * FNV_PRIME;
            } else if (c < 0x800) {
                h = (h ^ (0xC0 | (c >>> 6))) * FNV_PRIME;
                h = (h ^ (0x80 | (c & 0x3F))) * FNV_PRIME;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                h = (h ^ (0xF0 | (cp >>> 18))) * FNV_PRIME;
                h = (h ^ (0x80 | ((cp >>> 12) & 0x3F))) * FNV_PRIME;
                h = (h ^ (0x80 | ((cp >>> 6) & 0x3F))) * FNV_PRIME;
                h = (h ^ (0x80 | (cp & 0x3F))) * FNV_PRIME;
            } else {
                h = (h ^ (0xE0 | (c >>> 12))) * FNV_PRIME;
                h = (h ^ (0x80 | ((c >>> 6) & 0x3F))) * FNV_PRIME;
                h = (h ^ (0x80 | (c & 0x3F))) * FNV_PRIME;
            }
        }
        return fmix64(h);
    }

    static long hashLong(long value, long salt) {
        return fmix64(fmix64(value + GOLDEN_GAMMA) ^ salt);
    }

    /** The hash as an unsigned number modulo {@code numBins}. */
    static int bin(long hash, int numBins) {
        return (int) Long.remainderUnsigned(hash, numBins);
    }
}
